package dev.pagecache.testapp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client for tests against a running server: no cookies kept, no compression
 * asked for unless a test says so.
 */
public final class Http {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public Http(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	public HttpResponse<byte[]> get(String path, String... headers) {
		return send("GET", path, headers);
	}

	public HttpResponse<byte[]> head(String path, String... headers) {
		return send("HEAD", path, headers);
	}

	public HttpResponse<byte[]> send(String method, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Send a GET over a raw socket, for headers that {@link HttpClient} refuses to send.
	 * @return the value of {@code X-Page-Cache}, or {@code none}
	 */
	public String rawGet(String path, String header, String value) {
		URI uri = URI.create(this.base);
		try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(30_000);
			String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
					+ header + ": " + value + "\r\nConnection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			String response = new String(socket.getInputStream().readAllBytes(),
					java.nio.charset.StandardCharsets.ISO_8859_1);
			for (String line : response.split("\r\n")) {
				if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-page-cache:")) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
				if (line.isEmpty()) {
					break;
				}
			}
			return "none";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static String cacheResult(HttpResponse<?> response) {
		return response.headers().firstValue("X-Page-Cache").orElse("none");
	}

}
