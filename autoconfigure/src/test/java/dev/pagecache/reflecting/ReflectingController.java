package dev.pagecache.reflecting;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.CachePage;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code @CachePage} handlers that reflect every input a real page might show.
 */
@Controller
public class ReflectingController {

	/**
	 * Headers that the page's diagnostic footer prints, the way applications print a
	 * proxy's client IP, a "back" link from {@code Referer}, or a rewritten URL.
	 */
	public static final List<String> PRINTED_HEADERS = List.of("X-Forwarded-Server", "X-Forwarded-Scheme",
			"X-Original-URL", "X-Rewrite-URL", "X-Host", "X-HTTP-Host-Override", "X-Original-Host", "X-Real-IP",
			"X-Client-IP", "True-Client-IP", "X-Http-Method-Override", "X-HTTP-Method", "X-Method-Override",
			"X-Original-Method", "Referer", "Origin", "X-Requested-With", "X-Wap-Profile", "X-ATT-DeviceId", "Via",
			"X-Scheme", "Front-End-Https", "X-Url-Scheme", "X-Custom-IP-Authorization", "X-Forwarded-Uri",
			"X-Original-Forwarded-For", "X-Cluster-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", "X-ProxyUser-Ip",
			"X-Backend-Host", "X-Country-Code", "X-Device-Type", "Content-Location");

	/**
	 * What the backend does next: {@code null} renders the page, {@code "503"} renders it
	 * as a maintenance page with status 503, {@code "404"} refuses with a 404 through the
	 * {@code /error} dispatch, {@code "500"} throws.
	 */
	public volatile String failure;

	@GetMapping("/pages/{id}")
	@CachePage
	String page(@PathVariable long id, HttpServletRequest request, HttpServletResponse response,
			@RequestHeader(name = "User-Agent", required = false) String userAgent,
			@RequestBody(required = false) String body, Model model) {
		model.addAttribute("maintenance", failIfAsked(response));
		Map<String, String> printed = new LinkedHashMap<>();
		for (String header : PRINTED_HEADERS) {
			String value = request.getHeader(header);
			if (value != null) {
				printed.put(header, value);
			}
		}
		model.addAttribute("id", id);
		model.addAttribute("canonical", ServletUriComponentsBuilder.fromCurrentRequestUri().toUriString());
		model.addAttribute("home", ServletUriComponentsBuilder.fromCurrentContextPath().path("/").toUriString());
		model.addAttribute("query", request.getQueryString());
		model.addAttribute("parameters", request.getParameterMap().keySet());
		model.addAttribute("userAgent", userAgent);
		model.addAttribute("body", body);
		model.addAttribute("printed", printed);
		return "reflecting/page";
	}

	@GetMapping("/visitors/{id}")
	@CachePage
	@ResponseBody
	String visitor(@PathVariable long id, HttpServletRequest request) {
		return "Page " + id + " for a visitor from " + request.getRemoteAddr();
	}

	@GetMapping("/texts/{id}")
	@CachePage
	@ResponseBody
	String text(@PathVariable long id) {
		return "Text " + id;
	}

	@GetMapping("/visits/{id}")
	@CachePage
	String visit(@PathVariable long id, HttpServletRequest request, Model model) {
		request.getSession().setAttribute("lastVisit", id);
		model.addAttribute("id", id);
		return "reflecting/visit";
	}

	@GetMapping("/headlines/{id}")
	@CachePage
	@ResponseBody
	ResponseEntity<String> headline(@PathVariable long id, @RequestParam(defaultValue = "") String vary,
			@RequestParam(defaultValue = "") String nonce) {
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (!vary.isEmpty()) {
			response.varyBy(vary);
		}
		if (!nonce.isEmpty()) {
			response.header("Content-Security-Policy", "script-src 'nonce-" + nonce + "'");
		}
		return response.body("<script nonce=\"" + nonce + "\">headline(" + id + ")</script>");
	}

	@GetMapping("/topics/{name}")
	@CachePage
	@ResponseBody
	String topic(@PathVariable String name) {
		return "Topic " + name;
	}

	private boolean failIfAsked(HttpServletResponse response) {
		String failure = this.failure;
		if ("503".equals(failure)) {
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			return true;
		}
		if ("404".equals(failure)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "gone for now");
		}
		if ("500".equals(failure)) {
			throw new IllegalStateException("backend down");
		}
		return false;
	}

}
