package dev.pagecache.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.TestHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh-ahead over real HTTP: a hot page that an invalidation drops is rendered again
 * by the application itself before any reader asks, and is a hit for the next reader; a
 * cold page is not; a refresh does not count as a request for the page.
 */
@SpringBootTest(classes = RefreshAheadHttpTests.PlaceApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "pagecache.refresh-ahead.enabled=true",
				"pagecache.refresh-ahead.flush-interval=100ms", "pagecache.refresh-ahead.min-requests=3",
				"pagecache.refresh-ahead.max-cpu-load=1", "pagecache.refresh-ahead.reservation-timeout=2s" })
class RefreshAheadHttpTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	PageStore store;

	@Autowired
	PageCache pageCache;

	@Autowired
	PlaceController places;

	@Autowired
	Refresher refresher;

	@Autowired
	PageCacheAutoConfiguration.RefreshAheadStatus status;

	@Autowired
	PageCacheStatistics statistics;

	private TestHttp<String> http;

	@BeforeEach
	void start() {
		this.http = TestHttp.text(this.port);
	}

	@Test
	void hotPageDroppedByAnInvalidationIsRenderedAgainBeforeTheNextReaderAsks() {
		String key = readUntilHot("/places/harbour");
		PageCacheAutoConfiguration.RefreshAheadStatus.Snapshot before = this.status.snapshot();
		long missesBefore = this.statistics.snapshot().totals().misses();
		long hitsBefore = this.statistics.snapshot().totals().hits();
		this.pageCache.invalidateTags("place:harbour");
		await(() -> this.places.renders("harbour") == 2 && this.store.lookup(key).isHit());
		HttpResponse<String> next = this.http.get("/places/harbour");
		assertThat(TestHttp.cacheResult(next)).isEqualTo("HIT");
		assertThat(next.body()).isEqualTo("harbour, render 2");
		await(() -> this.status.snapshot().refreshed() > before.refreshed());
		assertThat(this.statistics.snapshot().totals().misses()).as("the refresh's render is no reader's miss")
			.isEqualTo(missesBefore);
		assertThat(this.statistics.snapshot().totals().hits()).as("the reader's hit, and no refresh's")
			.isEqualTo(hitsBefore + 1);
		// the reader's request reaches the figures when the sampler drains, within 100 ms
		await(() -> this.status.snapshot().requestedAfter() > before.requestedAfter());
	}

	/**
	 * The refresh reaches the application 100 ms after the write returned (a filter in
	 * front holds it), so that the reader who asks at once comes first: it follows the
	 * reservation rather than render the page itself.
	 */
	@Test
	void readerRightAfterTheInvalidationIsServedTheRefreshRatherThanRenderThePage() {
		readUntilHot("/places/pier");
		this.pageCache.invalidateTags("place:pier");
		HttpResponse<String> next = this.http.get("/places/pier");
		assertThat(TestHttp.cacheResult(next)).as(this.refresher.figures().toString()).isEqualTo("HIT");
		assertThat(next.body()).isEqualTo("pier, render 2");
		assertThat(this.places.renders("pier")).isEqualTo(2);
	}

	@Test
	void clearRendersTheHottestPagesAgain() {
		String key = readUntilHot("/places/square");
		this.pageCache.clear();
		await(() -> this.places.renders("square") == 2 && this.store.lookup(key).isHit());
		HttpResponse<String> next = this.http.get("/places/square");
		assertThat(TestHttp.cacheResult(next)).isEqualTo("HIT");
		assertThat(next.body()).isEqualTo("square, render 2");
	}

	@Test
	void coldPageIsNotRenderedAgain() throws InterruptedException {
		String key = readUntilHot("/places/lighthouse");
		assertThat(TestHttp.cacheResult(this.http.get("/places/market"))).isEqualTo("MISS");
		this.pageCache.invalidateTags("place:market", "place:lighthouse");
		await(() -> this.store.lookup(key).isHit());
		Thread.sleep(300);
		assertThat(this.places.renders("market")).isOne();
		assertThat(TestHttp.cacheResult(this.http.get("/places/market"))).isEqualTo("MISS");
	}

	@Test
	void refreshIsNotCountedAsARequestForThePage() throws InterruptedException {
		String key = readUntilHot("/places/beach");
		double before = score(key);
		this.pageCache.invalidateTags("place:beach");
		await(() -> this.store.lookup(key).isHit());
		Thread.sleep(500);
		assertThat(score(key)).as("the score after the refresh and a few flushes").isLessThanOrEqualTo(before);
	}

	/**
	 * Read a page four times, and wait until the store's hot list counts them.
	 * @return the page's key
	 */
	private String readUntilHot(String path) {
		for (int i = 0; i < 4; i++) {
			this.http.get(path);
		}
		String key = "GET http://localhost:" + this.port + path;
		// all four reads counted (scores decay a little), and no more to come
		await(() -> score(key) > 3.9);
		// the refreshes of earlier tests (a clear warms every page of the list) are done
		await(() -> this.refresher.figures().queued() == 0 && !this.refresher.figures().refreshing());
		return key;
	}

	private double score(String key) {
		return this.store.hottest(100, 0.01)
			.stream()
			.filter((page) -> page.key().equals(key))
			.mapToDouble(PageStore.HotPage::requests)
			.findFirst()
			.orElse(0);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void await(BooleanSupplier condition) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met within " + DEADLINE).isLessThan(deadline);
			sleep(20);
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PlaceController.class)
	static class PlaceApplication {

		@Bean
		FilterRegistrationBean<OncePerRequestFilter> slowRefreshes() {
			FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
					new OncePerRequestFilter() {

						@Override
						protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
								FilterChain chain) throws ServletException, IOException {
							if (request.getHeader(RefreshMarker.HEADER) != null) {
								sleep(100);
							}
							chain.doFilter(request, response);
						}

					});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

	@RestController
	static class PlaceController {

		private final Map<String, AtomicInteger> renders = new ConcurrentHashMap<>();

		int renders(String name) {
			AtomicInteger count = this.renders.get(name);
			return (count != null) ? count.get() : 0;
		}

		@GetMapping("/places/{name}")
		@CachePage(tags = "'place:' + #name")
		String place(@PathVariable String name) {
			return name + ", render "
					+ this.renders.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
		}

	}

}
