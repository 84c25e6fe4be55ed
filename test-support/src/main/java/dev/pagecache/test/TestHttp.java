package dev.pagecache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HTTP client of the tests against a running server on a loopback port: keeps no
 * cookies, follows no redirects and asks for no compression unless a test passes the
 * headers. For requests that {@link HttpClient} refuses to send (any {@code Host},
 * hop-by-hop headers, raw targets), use {@link #raw()}.
 *
 * @param <T> the type of the response bodies
 * @author pagecache
 */
public final class TestHttp<T> {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient client = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final int port;

	private final BodyHandler<T> bodies;

	private TestHttp(int port, BodyHandler<T> bodies) {
		this.port = port;
		this.bodies = bodies;
	}

	/**
	 * A client whose responses carry their bodies as bytes.
	 * @param port the server's port on {@code localhost}
	 * @return the client
	 */
	public static TestHttp<byte[]> bytes(int port) {
		return new TestHttp<>(port, HttpResponse.BodyHandlers.ofByteArray());
	}

	/**
	 * A client whose responses carry their bodies as UTF-8 text.
	 * @param port the server's port on {@code localhost}
	 * @return the client
	 */
	public static TestHttp<String> text(int port) {
		return new TestHttp<>(port, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	/**
	 * The origin a browser sends with a form on one of the server's own pages.
	 * @return {@code http://localhost:<port>}
	 */
	public String origin() {
		return "http://localhost:" + this.port;
	}

	/**
	 * The socket client of the same server, for requests this one cannot send.
	 * @return the raw client
	 */
	public RawHttp raw() {
		return new RawHttp(this.port);
	}

	public HttpResponse<T> get(String path, String... headers) {
		return send("GET", path, headers);
	}

	public HttpResponse<T> head(String path, String... headers) {
		return send("HEAD", path, headers);
	}

	/**
	 * Send a request without a body.
	 * @param method the method
	 * @param path the path and query
	 * @param headers names and values, in turn
	 * @return the response
	 */
	public HttpResponse<T> send(String method, String path, String... headers) {
		return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()), headers);
	}

	/**
	 * Post a form, as a browser does.
	 * @param path the path
	 * @param fields the form's fields (see {@link #fields(String...)})
	 * @param headers names and values, in turn
	 * @return the response
	 */
	public HttpResponse<T> postForm(String path, Map<String, String> fields, String... headers) {
		String form = fields.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		List<String> allHeaders = new ArrayList<>(List.of("Content-Type", "application/x-www-form-urlencoded"));
		allHeaders.addAll(List.of(headers));
		return send(request(path).POST(HttpRequest.BodyPublishers.ofString(form)), allHeaders.toArray(String[]::new));
	}

	/**
	 * Form fields in order.
	 * @param namesAndValues names and values, in turn
	 * @return the fields
	 */
	public static Map<String, String> fields(String... namesAndValues) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			fields.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return fields;
	}

	/**
	 * What the page cache did.
	 * @param response a response
	 * @return {@code HIT}, {@code MISS}, {@code BYPASS}, or {@code none}
	 */
	public static String cacheResult(HttpResponse<?> response) {
		return response.headers().firstValue("X-Page-Cache").orElse("none");
	}

	/**
	 * The session cookie a response sets.
	 * @param response a response
	 * @return {@code JSESSIONID=...}, as a {@code Cookie} header value
	 */
	public static Optional<String> sessionCookie(HttpResponse<?> response) {
		return response.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((cookie) -> cookie.startsWith("JSESSIONID="))
			.map((cookie) -> cookie.substring(0, cookie.indexOf(';')))
			.findFirst();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(origin() + path)).timeout(TIMEOUT);
	}

	private HttpResponse<T> send(HttpRequest.Builder request, String... headers) {
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return this.client.send(request.build(), this.bodies);
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
