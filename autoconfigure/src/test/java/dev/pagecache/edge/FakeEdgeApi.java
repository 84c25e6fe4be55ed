package dev.pagecache.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that stands for an edge's purge API: it records every request and
 * answers it as the API would, through a function that checks the request against the
 * API's documented shape, or with answers a test queues first (a 429 once).
 */
final class FakeEdgeApi implements AutoCloseable {

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Queue<Answer> queued = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean closed = new AtomicBoolean();

	private FakeEdgeApi(HttpServer server) {
		this.server = server;
	}

	/**
	 * Start a server on a free loopback port.
	 * @param api how the API answers a request
	 * @return the running server
	 */
	static FakeEdgeApi start(Function<Request, Answer> api) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			FakeEdgeApi fake = new FakeEdgeApi(server);
			server.createContext("/", (exchange) -> fake.handle(exchange, api));
			server.start();
			return fake;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Distinct tag tokens to purge.
	 * @param count how many
	 * @return the tokens of {@code Post#0}, {@code Post#1}, ...
	 */
	static Set<String> tokens(int count) {
		Set<String> tokens = new LinkedHashSet<>();
		IntStream.range(0, count).forEach((i) -> tokens.add(EdgePurger.Purge.token("Post#" + i)));
		return tokens;
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/** Answer the next request with this, whatever it is. */
	void answerNext(Answer answer) {
		this.queued.add(answer);
	}

	private void handle(HttpExchange exchange, Function<Request, Answer> api) throws IOException {
		try (exchange) {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String target = exchange.getRequestURI().getRawPath() + ((exchange.getRequestURI().getRawQuery() != null)
					? "?" + exchange.getRequestURI().getRawQuery() : "");
			Request request = new Request(exchange.getRequestMethod(), target, exchange.getRequestHeaders(), body);
			this.requests.add(request);
			Answer queuedAnswer = this.queued.poll();
			Answer answer = (queuedAnswer != null) ? queuedAnswer : api.apply(request);
			answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(answer.status(), (bytes.length == 0) ? -1 : bytes.length);
			exchange.getResponseBody().write(bytes);
		}
	}

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.server.stop(0);
		}
	}

	/**
	 * A request as the server received it.
	 *
	 * @param method the method
	 * @param target the raw path and query
	 * @param headers the headers
	 * @param body the body
	 */
	record Request(String method, String target, Headers headers, String body) {

		String header(String name) {
			String value = this.headers.getFirst(name);
			return (value != null) ? value : "";
		}

	}

	/**
	 * An answer of the API.
	 *
	 * @param status the status
	 * @param headers extra response headers
	 * @param body the JSON body
	 */
	record Answer(int status, Map<String, String> headers, String body) {

		static Answer json(int status, String body) {
			return new Answer(status, Map.of(), body);
		}

	}

}
