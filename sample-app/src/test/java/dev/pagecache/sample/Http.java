package dev.pagecache.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plain HTTP client for tests against the running blog: follows no redirects and keeps
 * no cookies unless a test passes them.
 *
 * @author pagecache
 */
final class Http {

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private final HttpClient client = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final int port;

	Http(int port) {
		this.port = port;
	}

	/**
	 * The origin a browser sends with a form on one of the blog's own pages.
	 * @return {@code http://localhost:port}
	 */
	String origin() {
		return "http://localhost:" + this.port;
	}

	HttpResponse<String> get(String path, String... headers) {
		return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
	}

	HttpResponse<String> postForm(String path, Map<String, String> fields, String... headers) {
		String form = fields.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		List<String> allHeaders = new ArrayList<>(List.of("Content-Type", "application/x-www-form-urlencoded"));
		allHeaders.addAll(List.of(headers));
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(form)),
				allHeaders.toArray(String[]::new));
	}

	/**
	 * Sign in through the login form, as a browser does.
	 * @return the {@code Cookie} header value of the signed-in session
	 */
	String login(String username, String password) {
		HttpResponse<String> loginPage = get("/login");
		String anonymousSession = sessionCookie(loginPage).orElseThrow();
		HttpResponse<String> loggedIn = postForm("/login",
				fields("username", username, "password", password, "_csrf", csrfToken(loginPage)), "Cookie",
				anonymousSession);
		if (loggedIn.statusCode() != 302 || !loggedIn.headers().firstValue("Location").orElse("").endsWith("/admin")) {
			throw new IllegalStateException("Login failed: " + loggedIn.statusCode() + " " + loggedIn.headers().map());
		}
		return sessionCookie(loggedIn).orElse(anonymousSession);
	}

	static Map<String, String> fields(String... namesAndValues) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			fields.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return fields;
	}

	static String cacheResult(HttpResponse<?> response) {
		return response.headers().firstValue("X-Page-Cache").orElse("none");
	}

	static Optional<String> sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("JSESSIONID="))
			.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst();
	}

	static String csrfToken(HttpResponse<String> page) {
		Matcher matcher = CSRF_FIELD.matcher(page.body());
		if (!matcher.find()) {
			throw new IllegalStateException("No CSRF token on the page:\n" + page.body());
		}
		return matcher.group(1);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
		request.timeout(Duration.ofSeconds(30));
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
