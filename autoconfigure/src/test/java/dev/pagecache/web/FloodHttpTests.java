package dev.pagecache.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.test.RawHttp;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of variants does not lock a hot page out (DESIGN section 10, memory under
 * attack; issue 15): while {@value #FLOOD} anonymous requests arrive over HTTP, against a
 * real Redis, each one a variant that the application answers with 200 (a converted path
 * variable written with leading zeros, a sign, a space or in hex, a keyed query parameter
 * with a leading zero, a {@code Host} outside {@code pagecache.allowed-hosts}, an allowed
 * host on a made-up port), a post that becomes hot during the flood is served from the
 * cache. The route may hold only {@value #MAX_PAGES_PER_ROUTE} pages: had the variants
 * been stored, they would have filled it within the first hundred requests and the hot
 * page, new to the route, would never have been stored (a hit share of 0 during and after
 * the flood, and 50 variants in the route's index, without the canonical-argument and
 * allowed-hosts rules).
 * <p>
 * The hot page is first read once the flood has sent {@value #FLOOD_BEFORE_HOT_READS}
 * requests, as a post published during a flood would be, and is invalidated every
 * {@value #READS_PER_INVALIDATION} reads, as comments on it would do.
 *
 * @author pagecache
 */
@SpringBootTest(classes = FloodHttpTests.FloodApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.namespace=flood",
				"pagecache.redis.max-pages-per-route=" + FloodHttpTests.MAX_PAGES_PER_ROUTE,
				"pagecache.allowed-hosts=localhost,127.0.0.1" })
@WithRedisServer
class FloodHttpTests {

	static final int MAX_PAGES_PER_ROUTE = 50;

	private static final int FLOOD = 20_000;

	private static final int FLOOD_BEFORE_HOT_READS = 1_000;

	private static final int READS_PER_INVALIDATION = 200;

	private static final int READS_AFTER_THE_FLOOD = 200;

	private static final int CLIENTS = 4;

	private static final String HOT_PAGE = "/posts/7";

	static RedisServerProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	@Test
	void hotPageStaysAHitWhileTwentyThousandVariantsArrive() throws InterruptedException {
		TestHttp<byte[]> http = TestHttp.bytes(this.port);
		this.pageCache.clear();
		// the first lookup of a namespace creates its epoch
		http.get("/about");
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		long start = System.nanoTime();
		List<Thread> clients = startFlood(sent, errors);
		while (sent.get() < FLOOD_BEFORE_HOT_READS) {
			Thread.sleep(10);
		}
		Reads during = new Reads();
		while (clients.stream().anyMatch(Thread::isAlive)) {
			during.count(http.get(HOT_PAGE));
			if (during.total % READS_PER_INVALIDATION == 0) {
				this.pageCache.invalidateTags("Post#7");
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		// stores the page again if the last invalidation came after the last read
		http.get(HOT_PAGE);
		Reads after = new Reads();
		for (int i = 0; i < READS_AFTER_THE_FLOOD; i++) {
			after.count(http.get(HOT_PAGE));
		}
		List<String> stored = this.pageCache.pagesTagged(PageTags.route("/posts/{id}"));
		System.out.printf(
				"Flood: %d variant requests in %.1f s (%.0f/s), errors %d; hot page during the flood: %d hits of %d "
						+ "reads (%.1f%%), after: %d of %d (%.1f%%); pages of the route in Redis: %d (cap %d)%n",
				FLOOD, seconds, FLOOD / seconds, errors.get(), during.hits, during.total, during.hitShare(), after.hits,
				after.total, after.hitShare(), stored.size(), MAX_PAGES_PER_ROUTE);
		assertThat(errors.get()).as("variant requests not answered 200").isZero();
		assertThat(during.total).as("reads of the hot page during the flood").isGreaterThanOrEqualTo(500);
		assertThat(during.hitShare()).as("hit share of the hot page during the flood").isGreaterThanOrEqualTo(90);
		assertThat(after.hitShare()).as("hit share of the hot page after the flood").isEqualTo(100);
		assertThat(stored).as("pages of the route in Redis")
			.singleElement()
			.satisfies((key) -> assertThat(key).endsWith(HOT_PAGE));
	}

	private List<Thread> startFlood(AtomicInteger sent, AtomicInteger errors) {
		List<Thread> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			Thread client = new Thread(() -> {
				TestHttp<byte[]> http = TestHttp.bytes(this.port);
				RawHttp raw = http.raw();
				for (int i = sent.getAndIncrement(); i < FLOOD; i = sent.getAndIncrement()) {
					int status = (i % 4 == 3) ? raw.get("/posts/" + (i % 1000), foreignHost(i)).status()
							: http.get(pathVariant(i)).statusCode();
					if (status != 200) {
						errors.incrementAndGet();
					}
				}
			}, "flood-" + c);
			clients.add(client);
			client.start();
		}
		return clients;
	}

	/**
	 * A request target that names a post as no link does: half of them the hot post.
	 */
	private static String pathVariant(int i) {
		long id = (i % 2 == 0) ? 7 : 1 + ThreadLocalRandom.current().nextInt(1_000_000);
		return switch ((i / 4) % 8) {
			case 0 -> "/posts/" + "0".repeat(1 + (i / 8) % 16) + id;
			case 1 -> "/posts/+" + id;
			case 2 -> "/posts/%2B" + id;
			case 3 -> "/posts/" + id + "%20";
			case 4 -> "/posts/%20" + id;
			case 5 -> "/posts/0x" + Long.toHexString(id);
			case 6 -> "/posts/" + id + "?page=0" + (1 + (i / 8) % 9);
			default -> "/posts/" + id + "?page=+" + (1 + (i / 8) % 9);
		};
	}

	/**
	 * A {@code Host} the application does not serve under, or one of its own hosts on a
	 * port it does not listen on.
	 */
	private String foreignHost(int i) {
		if (i % 8 == 3) {
			return "Host: h" + i + ".example:" + this.port;
		}
		int port = 1024 + (i % 60_000);
		return "Host: localhost:" + ((port != this.port) ? port : port + 1);
	}

	/**
	 * What reads of the hot page were.
	 */
	private static final class Reads {

		int total;

		int hits;

		void count(HttpResponse<byte[]> response) {
			assertThat(response.statusCode()).isEqualTo(200);
			this.total++;
			if (cacheResult(response).equals("HIT")) {
				this.hits++;
			}
		}

		double hitShare() {
			return (this.total > 0) ? 100.0 * this.hits / this.total : 0;
		}

	}

	@RestController
	static class BlogController {

		/** About a kilobyte, like a small real page. */
		private static final String FILLER = "<p>" + "lorem ipsum dolor sit amet ".repeat(36) + "</p>";

		@GetMapping("/posts/{id}")
		@CachePage(tags = "'Post#' + #id")
		String post(@PathVariable long id, @RequestParam(defaultValue = "1") int page) {
			return "<h1>post " + id + ", page " + page + "</h1>" + FILLER;
		}

		@GetMapping("/about")
		@CachePage
		String about() {
			return "<h1>about</h1>";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(BlogController.class)
	static class FloodApplication {

	}

}
