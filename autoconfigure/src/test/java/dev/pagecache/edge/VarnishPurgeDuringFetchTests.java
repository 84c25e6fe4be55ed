package dev.pagecache.edge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.VarnishProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped VCL keeps no page whose fetch began before a purge arrived, however close
 * the two are: a backend that purges Varnish while it answers (a write committed while
 * the page was on its way, its purge landing a fraction of a millisecond after the fetch
 * began) sends a shared page that Varnish passes on and does not keep, whether the purge
 * is by tag (xkey) or by URL. A page whose copy passed that check just before a purge may
 * still enter the cache just after it: a copy checked less than a second before the
 * latest purge is not served, but fetched anew once.
 *
 * @author pagecache
 */
class VarnishPurgeDuringFetchTests {

	private static final int ROUNDS = 60;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private static final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

	private static HttpServer backend;

	private static VarnishProcess varnish;

	@BeforeAll
	static void start() throws IOException {
		VarnishProcess.assumeInstalled();
		backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		backend.setExecutor(Executors.newCachedThreadPool());
		backend.createContext("/", VarnishPurgeDuringFetchTests::purgeThenAnswer);
		backend.start();
		varnish = VarnishProcess.start(VarnishProcess.freePort(), backend.getAddress().getPort());
	}

	@AfterAll
	static void stop() {
		if (varnish != null) {
			varnish.close();
		}
		if (backend != null) {
			backend.stop(0);
		}
	}

	@Test
	void pageFetchedWhileATagPurgeArrivesIsNotKept() {
		assertThat(keptAfterPurgeDuringFetch("tag")).as("rounds whose page Varnish kept").isEmpty();
	}

	@Test
	void pageFetchedWhileAUrlPurgeArrivesIsNotKept() {
		assertThat(keptAfterPurgeDuringFetch("url")).as("rounds whose page Varnish kept").isEmpty();
	}

	@Test
	void copyThatAPurgeFollowedIsFetchedAnewOnceThenServed() throws InterruptedException {
		String path = "/plain/" + System.nanoTime();
		assertThat(cacheResult(path)).isEqualTo("MISS");
		purgeTag("unrelated");
		// past the purge's mark (a millisecond after it): a fetch that begins sooner is
		// not
		// kept either
		Thread.sleep(20);
		assertThat(cacheResult(path)).as("the copy stored just before the purge").isEqualTo("MISS");
		assertThat(cacheResult(path)).isEqualTo("HIT");
		assertThat(fetches.get(path)).hasValue(2);
	}

	@Test
	void copyOlderThanTheRepurgeWindowIsServedAfterAPurgeOfAnotherPage() throws InterruptedException {
		String path = "/plain/" + System.nanoTime();
		assertThat(cacheResult(path)).isEqualTo("MISS");
		Thread.sleep(3100);
		purgeTag("unrelated");
		assertThat(cacheResult(path)).isEqualTo("HIT");
		assertThat(fetches.get(path)).hasValue(1);
	}

	private static String cacheResult(String path) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(varnish.getUrl() + path)));
		assertThat(response.statusCode()).isEqualTo(200);
		return response.headers().firstValue("X-Cache").orElse("");
	}

	private static void purgeTag(String tag) {
		assertThat(send(HttpRequest.newBuilder(URI.create(varnish.getUrl() + "/"))
			.header("xkey-purge", tag)
			.method("PURGE", HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
	}

	/** Each round fetches a new page once through Varnish, then asks for it again. */
	private static List<String> keptAfterPurgeDuringFetch(String kind) {
		List<String> kept = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			String path = "/" + kind + "/" + round + "?" + System.nanoTime();
			HttpResponse<String> first = send(HttpRequest.newBuilder(URI.create(varnish.getUrl() + path)));
			assertThat(first.statusCode()).isEqualTo(200);
			assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, s-maxage=60");
			HttpResponse<String> again = send(HttpRequest.newBuilder(URI.create(varnish.getUrl() + path)));
			if (again.headers().firstValue("X-Cache").orElse("").equals("HIT")) {
				kept.add(path);
			}
		}
		return kept;
	}

	/**
	 * The backend: purges the page it is asked for (by its own tag or by its URL), then
	 * answers with a shared page carrying that tag.
	 */
	private static void purgeThenAnswer(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().toString();
		String tag = "t" + Integer.toHexString(path.hashCode());
		fetches.computeIfAbsent(path, (key) -> new AtomicInteger()).incrementAndGet();
		if (path.startsWith("/plain/")) {
			answer(exchange, path, tag, 200);
			return;
		}
		HttpRequest.Builder purge = path.startsWith("/tag/")
				? HttpRequest.newBuilder(URI.create(varnish.getUrl() + "/")).header("xkey-purge", tag)
				: HttpRequest.newBuilder(URI.create(varnish.getUrl() + path));
		HttpResponse<String> purged = send(purge.method("PURGE", HttpRequest.BodyPublishers.noBody()));
		answer(exchange, path, tag, (purged.statusCode() == 200) ? 200 : 500);
	}

	private static void answer(HttpExchange exchange, String path, String tag, int status) throws IOException {
		byte[] body = ("<p>" + path + "</p>").getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "text/html");
		exchange.getResponseHeaders().add("Cache-Control", "public, s-maxage=60");
		exchange.getResponseHeaders().add("xkey", tag);
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
