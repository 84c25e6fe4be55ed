package dev.pagecache.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An anonymous {@code GET} of a stored page, rebuilt from its key as {@link PageKeys}
 * writes it, to be sent to the application itself so that it renders the page as it would
 * for a reader without credentials: the key's path and query as the request target, its
 * host and port as {@code Host}, its locale as {@code Accept-Language}, its declared
 * headers with their values, and no cookie, no {@code Authorization}.
 * <p>
 * Sent over a plain socket, one request per connection: {@code java.net.http} and
 * {@code HttpURLConnection} refuse to set {@code Host} unless a JVM-wide system property
 * allows it, which a library must not set. A key whose scheme is not the connector's (TLS
 * ending at a proxy) is sent with {@code X-Forwarded-Proto} and {@code X-Forwarded-Port},
 * which the application must honour (Tomcat's {@code RemoteIpValve} trusts loopback by
 * default) for the render to compute the same key; the filter stores a refresh only under
 * the key it was sent for.
 *
 * @param target the request target: path and query, percent-encoded
 * @param scheme the key's scheme
 * @param host the key's host and port, as {@code Host} sends them
 * @param port the key's port
 * @param headers the request headers the key holds, {@code Accept-Language} for its
 * locale first, in the order of the key
 * @author pagecache
 */
record RefreshRequest(String target, String scheme, String host, int port, Map<String, String> headers) {

	private static final int MAX_STATUS_LINE = 256;

	/**
	 * The request that renders the page of a key.
	 * @param key the page key
	 * @param varyHeaders the lower-case names of the headers its route keys, in order
	 * @return the request, or {@code null} when the key cannot be replayed (it ends with
	 * a digest, or does not have the expected form)
	 */
	static @Nullable RefreshRequest of(String key, List<String> varyHeaders) {
		if (!key.startsWith("GET ") || key.contains("...#") || !sendable(key)) {
			return null;
		}
		int urlEnd = (key.indexOf(' ', 4) >= 0) ? key.indexOf(' ', 4) : key.length();
		String url = key.substring(4, urlEnd);
		int schemeEnd = url.indexOf("://");
		int pathStart = (schemeEnd > 0) ? url.indexOf('/', schemeEnd + 3) : -1;
		int portStart = (pathStart > 0) ? url.lastIndexOf(':', pathStart) : -1;
		Map<String, String> headers = headers(key.substring(urlEnd), varyHeaders);
		if (portStart <= schemeEnd + 2 || headers == null) {
			return null;
		}
		try {
			return new RefreshRequest(url.substring(pathStart), url.substring(0, schemeEnd),
					url.substring(schemeEnd + 3, pathStart), Integer.parseInt(url.substring(portStart + 1, pathStart)),
					headers);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * The path of a key's URL, percent-encoded, context path included, without its query.
	 * @param key the page key
	 * @return the path, or {@code null} if the key has no {@code GET} URL
	 */
	static @Nullable String path(String key) {
		if (!key.startsWith("GET ")) {
			return null;
		}
		int urlEnd = (key.indexOf(' ', 4) >= 0) ? key.indexOf(' ', 4) : key.length();
		int schemeEnd = key.indexOf("://", 4);
		int pathStart = (schemeEnd > 0 && schemeEnd < urlEnd) ? key.indexOf('/', schemeEnd + 3) : -1;
		if (pathStart < 0 || pathStart >= urlEnd) {
			return null;
		}
		int query = key.indexOf('?', pathStart);
		return key.substring(pathStart, (query >= 0 && query < urlEnd) ? query : urlEnd);
	}

	/** Whether every char of a key can be sent in a request head as it is. */
	private static boolean sendable(String key) {
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c < 0x20 || c == 0x7f || c > 0xff) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The headers after a key's URL: {@code " locale=de-DE"}, then {@code " name=value"}
	 * per declared header.
	 */
	private static @Nullable Map<String, String> headers(String rest, List<String> varyHeaders) {
		Map<String, String> headers = new LinkedHashMap<>();
		String remaining = rest;
		if (remaining.startsWith(" locale=")) {
			int end = remaining.indexOf(' ', 1);
			end = (end >= 0) ? end : remaining.length();
			headers.put("Accept-Language", remaining.substring(" locale=".length(), end));
			remaining = remaining.substring(end);
		}
		for (int i = 0; i < varyHeaders.size(); i++) {
			String prefix = " " + varyHeaders.get(i) + "=";
			int end = (i + 1 < varyHeaders.size()) ? remaining.indexOf(" " + varyHeaders.get(i + 1) + "=", 1)
					: remaining.length();
			if (!remaining.startsWith(prefix) || end < 0) {
				return null;
			}
			String value = remaining.substring(prefix.length(), end);
			if (!value.isEmpty()) {
				headers.put(varyHeaders.get(i), value);
			}
			remaining = remaining.substring(end);
		}
		return remaining.isEmpty() ? headers : null;
	}

	/**
	 * The request as sent, with a marker header that tells the filter it is a refresh.
	 * @param connectorScheme the scheme of the connector it is sent to
	 * @param markerName the marker header's name
	 * @param marker the marker header's value
	 * @return the bytes of the request head (a {@code GET} has no body)
	 */
	byte[] encode(String connectorScheme, String markerName, String marker) {
		StringBuilder request = new StringBuilder(256).append("GET ")
			.append(this.target)
			.append(" HTTP/1.1\r\nHost: ")
			.append(this.host)
			.append("\r\n");
		this.headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		if (!this.scheme.equalsIgnoreCase(connectorScheme)) {
			request.append("X-Forwarded-Proto: ").append(this.scheme).append("\r\n");
			request.append("X-Forwarded-Port: ").append(this.port).append("\r\n");
		}
		request.append("Accept-Encoding: gzip\r\n")
			.append(markerName)
			.append(": ")
			.append(marker)
			.append("\r\nConnection: close\r\n\r\n");
		return request.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Send the request and read the response to its end.
	 * @param address where the application listens
	 * @param connectorScheme the connector's scheme ({@code http})
	 * @param markerName the marker header's name
	 * @param marker the marker header's value
	 * @param timeout the longest the connection, and each read, may take
	 * @return the response's status code
	 * @throws IOException when the application cannot be reached or answers no HTTP
	 * response in time
	 */
	int send(InetSocketAddress address, String connectorScheme, String markerName, String marker, Duration timeout)
			throws IOException {
		int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
		try (Socket socket = new Socket()) {
			socket.connect(address, millis);
			socket.setSoTimeout(millis);
			OutputStream out = socket.getOutputStream();
			out.write(encode(connectorScheme, markerName, marker));
			out.flush();
			InputStream in = socket.getInputStream();
			int status = status(in);
			in.transferTo(OutputStream.nullOutputStream());
			return status;
		}
	}

	private static int status(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder(32);
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0 || line.length() > MAX_STATUS_LINE) {
				throw new IOException("No HTTP status line: " + line);
			}
			line.append((char) c);
		}
		String[] parts = line.toString().trim().split(" ", 3);
		if (parts.length < 2 || !parts[0].toUpperCase(Locale.ROOT).startsWith("HTTP/1.")) {
			throw new IOException("No HTTP status line: " + line);
		}
		try {
			return Integer.parseInt(parts[1]);
		}
		catch (NumberFormatException ex) {
			throw new IOException("No HTTP status line: " + line, ex);
		}
	}

}
