package dev.pagecache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.0 over a plain socket, for requests a well-behaved client refuses or rewrites:
 * any {@code Host}, forwarded and hop-by-hop headers, a body on a GET, raw targets with
 * {@code ;}, {@code //}, dot segments and encoded characters. Nothing is sent that the
 * test does not name, besides {@code Host} when the test names none; the server closes
 * the connection after the response, which is read whole.
 */
public final class RawHttp {

	private final int port;

	/**
	 * A client of a server on a loopback port.
	 * @param port the server's port
	 */
	public RawHttp(int port) {
		this.port = port;
	}

	/**
	 * Send a GET.
	 * @param target the request target, sent as it is
	 * @param headers header lines, {@code "Name: value"}
	 * @return the response
	 */
	public Response get(String target, String... headers) {
		return send("GET", target, null, headers);
	}

	/**
	 * Send a request.
	 * @param method the method
	 * @param target the request target, sent as it is
	 * @param body the body, or {@code null} for none (a body needs its framing header
	 * among the headers)
	 * @param headers header lines, {@code "Name: value"}
	 * @return the response
	 */
	public Response send(String method, String target, String body, String... headers) {
		StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.0\r\n");
		boolean host = false;
		for (String header : headers) {
			host |= header.regionMatches(true, 0, "Host:", 0, 5);
			request.append(header).append("\r\n");
		}
		if (!host) {
			request.append("Host: 127.0.0.1:").append(this.port).append("\r\n");
		}
		request.append("\r\n");
		if (body != null) {
			request.append(body);
		}
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			return Response.parse(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A response as it came over the wire.
	 *
	 * @param status the status code
	 * @param headers the header lines, {@code "Name: value"}
	 * @param body the body, decoded as UTF-8
	 */
	public record Response(int status, List<String> headers, String body) {

		static Response parse(String raw) {
			int end = raw.indexOf("\r\n\r\n");
			String head = (end >= 0) ? raw.substring(0, end) : raw;
			String body = (end >= 0) ? raw.substring(end + 4) : "";
			String[] lines = head.split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
			return new Response(status, List.copyOf(headers), body);
		}

		/**
		 * The first value of a header.
		 * @param name the header name, in any case
		 * @return the value, or {@code "none"}
		 */
		public String header(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			for (String line : this.headers) {
				if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
					return line.substring(prefix.length()).trim();
				}
			}
			return "none";
		}

		/**
		 * What the page cache did: {@code HIT}, {@code MISS}, {@code BYPASS}, or
		 * {@code none}.
		 * @return the value of {@code X-Page-Cache}
		 */
		public String cacheResult() {
			return header("X-Page-Cache");
		}

		/**
		 * Headers and body together, for checks that a value appears nowhere in the
		 * response.
		 * @return the whole response after the status line
		 */
		public String text() {
			return String.join("\n", this.headers) + "\n\n" + this.body;
		}

	}

}
