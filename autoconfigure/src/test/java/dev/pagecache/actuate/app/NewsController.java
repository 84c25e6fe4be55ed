package dev.pagecache.actuate.app;

import java.util.concurrent.atomic.AtomicInteger;

import dev.pagecache.CachePage;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pages whose renders are counted; each test of a class uses pages of its own, so that
 * their statistics are exact.
 */
@RestController
public class NewsController {

	private final AtomicInteger renders = new AtomicInteger();

	public int renders() {
		return this.renders.get();
	}

	@GetMapping("/news/{id}")
	@CachePage(tags = "'News#' + #id")
	public String news(@PathVariable long id) {
		return "news " + id + " render " + this.renders.incrementAndGet();
	}

	@GetMapping("/flash/{id}")
	@CachePage(ttl = "1s", tags = "'Flash#' + #id")
	public String flash(@PathVariable long id) {
		return "flash " + id + " render " + this.renders.incrementAndGet();
	}

	@GetMapping("/")
	@CachePage(tags = "'News'")
	public String home() {
		return "home render " + this.renders.incrementAndGet();
	}

	@GetMapping("/items/{id}")
	@CachePage
	public String item(@PathVariable long id) {
		return "item " + id;
	}

	@GetMapping("/topics/{id}")
	@CachePage(tags = "'Topic#' + #id")
	public String topic(@PathVariable long id) {
		return "topic " + id + " render " + this.renders.incrementAndGet();
	}

	@GetMapping("/boards/{id}")
	@CachePage(tags = "'Board#' + #id")
	public String board(@PathVariable long id) {
		return "board " + id + " render " + this.renders.incrementAndGet();
	}

	@GetMapping("/notes/{id}")
	@CachePage(tags = "'Note#' + #id")
	public String note(@PathVariable long id) {
		return "note " + id;
	}

	/**
	 * A page that shows only the title of a shelf, so that it depends on
	 * {@code Shelf#<id>.title} and {@code Shelf#<id>.*}, not on {@code Shelf#<id>}.
	 */
	@GetMapping("/shelves/{id}")
	@CachePage(tags = "'Shelf#' + #id", attributes = "Shelf.title")
	public String shelf(@PathVariable long id) {
		return "shelf " + id + " render " + this.renders.incrementAndGet();
	}

	@GetMapping("/dash/{id}")
	@CachePage
	public String dash(@PathVariable long id) {
		return "dash " + id;
	}

	/**
	 * The first lookup of a new Redis namespace creates its epoch and stores nothing:
	 * tests request this page first so that the pages they count behave from their first
	 * request on.
	 */
	@GetMapping("/warm-up")
	@CachePage
	public String warmUp() {
		return "warm";
	}

	@GetMapping("/uncached")
	public String uncached() {
		return "uncached";
	}

}
