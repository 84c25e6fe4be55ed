package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.pagecache.store.PageStore;
import dev.pagecache.test.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog with refresh-ahead on, as it is by default: a comment drops its post page, and
 * the next reader is served the page rendered again with the comment on it rather than
 * wait for a render. The hot list is flushed every 100 ms so that the test need not wait
 * a second for it, and the CPU load does not hold refreshes back on a machine the tests
 * keep busy.
 *
 * @author pagecache
 */
@BlogTest
@TestPropertySource(properties = { "pagecache.refresh-ahead.enabled=true",
		"pagecache.refresh-ahead.flush-interval=100ms", "pagecache.refresh-ahead.max-cpu-load=1",
		"pagecache.refresh-ahead.reserve=10", "pagecache.refresh-ahead.reservation-timeout=5s" })
class RefreshAheadTests {

	@LocalServerPort
	int port;

	@Autowired
	PageStore store;

	private TestHttp<String> http;

	@BeforeEach
	void start() {
		this.http = TestHttp.text(this.port);
	}

	@Test
	void commentKeepsItsHotPostPageAHitWithTheCommentOnIt() {
		readUntilHot("/posts/26");
		HttpResponse<String> commented = this.http.postForm("/posts/26/comments",
				TestHttp.fields("author", "Rosa", "body", "Rendered before anyone asked."), "Sec-Fetch-Site",
				"same-origin");
		assertThat(commented.statusCode()).isEqualTo(303);
		HttpResponse<String> next = this.http.get("/posts/26");
		assertThat(TestHttp.cacheResult(next)).as("the next reader").isEqualTo("HIT");
		assertThat(next.body()).contains("Rendered before anyone asked.");
		// the endpoint counts the refresh, and a reader's request once sampled (the first
		// reader may have asked before the refresh started)
		assertThat(TestHttp.cacheResult(this.http.get("/posts/26"))).isEqualTo("HIT");
		await(() -> this.http.get("/actuator/pagecache")
			.body()
			.matches("(?s).*\"refreshAhead\":\\{\"refreshed\":[1-9]\\d*,\"requestedAfter\":[1-9].*"));
	}

	/**
	 * Read a page four times, and wait until the store's hot list counts them.
	 */
	private void readUntilHot(String path) {
		for (int i = 0; i < 4; i++) {
			this.http.get(path);
		}
		String key = "GET http://localhost:" + this.port + path;
		await(() -> this.store.hottest(1000, 3.5).stream().anyMatch((page) -> page.key().equals(key)));
	}

	private static void await(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
