package dev.pagecache.testapp;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.CachePage;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Handlers that count their calls, one per cacheability rule.
 */
@Controller
public class PageController extends HandlerCalls {

	@GetMapping("/articles/{id}")
	@CachePage(tags = "'Article#' + #id")
	String article(@PathVariable long id, @RequestParam(defaultValue = "1") int page, Model model) {
		model.addAttribute("id", id);
		model.addAttribute("page", page);
		model.addAttribute("render", count("article"));
		return "article";
	}

	@GetMapping("/articles/new")
	@ResponseBody
	String newArticleForm() {
		count("newArticleForm");
		return "form";
	}

	@GetMapping("/plain")
	@ResponseBody
	String plain() {
		return "plain " + count("plain");
	}

	@GetMapping("/cookie")
	@CachePage
	@ResponseBody
	String cookie(HttpServletResponse response) {
		response.addCookie(new Cookie("flavour", "chocolate"));
		return "cookie " + count("cookie");
	}

	@GetMapping("/session")
	@CachePage
	@ResponseBody
	String session(HttpServletRequest request) {
		request.getSession(true).setAttribute("seen", true);
		return "session " + count("session");
	}

	@GetMapping("/private")
	@CachePage
	@ResponseBody
	ResponseEntity<String> privatePage(@RequestParam(defaultValue = "private") String directive) {
		return ResponseEntity.ok().header("Cache-Control", directive).body("private " + count("private"));
	}

	@GetMapping("/missing")
	@CachePage
	@ResponseBody
	ResponseEntity<String> missing() {
		return ResponseEntity.status(404).body("missing " + count("missing"));
	}

	@GetMapping("/slow/{id}")
	@CachePage(tags = "'Slow#' + #id")
	@ResponseBody
	String slow(@PathVariable String id) throws InterruptedException {
		int render = count("slow");
		Thread.sleep(300);
		return "slow " + id + " render " + render;
	}

	@GetMapping("/stale/{id}")
	@CachePage(ttl = "1s", staleWhileRevalidate = "1m", tags = "'Stale#' + #id")
	@ResponseBody
	String stale(@PathVariable String id) throws InterruptedException {
		int render = count("stale");
		Thread.sleep(300);
		return "stale " + id + " render " + render;
	}

	@GetMapping("/failing")
	@CachePage
	@ResponseBody
	String failing() {
		count("failing");
		throw new IllegalStateException("boom");
	}

	@GetMapping("/large")
	@CachePage
	void large(HttpServletResponse response, @RequestParam(defaultValue = "4096") int size) throws IOException {
		count("large");
		response.setContentType("text/plain");
		byte[] line = "0123456789abcdef".repeat(64).getBytes();
		for (int written = 0; written < size; written += line.length) {
			response.getOutputStream().write(line, 0, Math.min(line.length, size - written));
		}
	}

	@GetMapping("/large-text")
	@CachePage
	void largeText(HttpServletResponse response, @RequestParam(defaultValue = "4096") int size) throws IOException {
		count("large-text");
		response.setContentType("text/plain;charset=UTF-8");
		String line = "0123456789abcdef".repeat(64);
		PrintWriter writer = response.getWriter();
		for (int written = 0; written < size; written += line.length()) {
			writer.write(line, 0, Math.min(line.length(), size - written));
		}
	}

	@GetMapping("/anything")
	@CachePage
	@ResponseBody
	String anything() {
		return "anything " + count("anything");
	}

}
