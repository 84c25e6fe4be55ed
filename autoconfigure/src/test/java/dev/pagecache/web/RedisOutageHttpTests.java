package dev.pagecache.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;
import dev.pagecache.testapp.PageController;
import dev.pagecache.testapp.PageTestApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests keep being answered, quickly and uncached, while Redis is down or
 * unresponsive, and caching resumes when it is back (DESIGN R1). A page cached before the
 * outage is not served from memory once the outage has lasted the near cache's
 * registration (with the near cache off here, at once;
 * {@link RedisOutageNearCacheHttpTests} runs the same with it on). The test owns its
 * Redis server and its application context.
 */
@SpringBootTest(classes = PageTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.timeout=100ms", "pagecache.redis.connect-timeout=100ms",
				"pagecache.redis.namespace=outage", "pagecache.redis.near-cache.enabled=false" })
@WithRedisServer
@ExpectedLogs(value = "dev.pagecache.web.PageCacheFilter", because = "Redis is stopped and paused")
class RedisOutageHttpTests {

	/** The command timeout plus a generous margin for a slow, shared machine. */
	private static final Duration WORST_ACCEPTABLE = Duration.ofMillis(100 + 900);

	static RedisServerProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	PageController controller;

	@Autowired
	PageCacheProperties properties;

	@Autowired
	ApplicationContext context;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
		if (!redis.isRunning()) {
			redis.restart();
		}
	}

	@AfterEach
	void resumeRedis() {
		if (redis.isRunning()) {
			redis.resume();
		}
	}

	@Test
	void pagesAreServedUncachedWhileRedisIsDownAndCachedAgainWhenItIsBack() {
		awaitCaching("/articles/1");
		readIntoMemory("/articles/1");
		long outage = System.nanoTime();
		redis.kill();
		assertNothingServedFromMemory("/articles/1", outage);
		assertServedQuicklyWhileRedisIsUnavailable();
		redis.restart();
		awaitCaching("/articles/2");
	}

	@Test
	void pagesAreServedQuicklyWhileRedisDoesNotAnswer() {
		awaitCaching("/articles/3");
		readIntoMemory("/articles/3");
		long outage = System.nanoTime();
		redis.pause();
		assertNothingServedFromMemory("/articles/3", outage);
		assertServedQuicklyWhileRedisIsUnavailable();
		redis.resume();
		awaitCaching("/articles/4");
	}

	/**
	 * With the near cache on, read a cached page until it is a hit from memory (the near
	 * cache serves once its heartbeat came back); with it off, there is no memory.
	 */
	private void readIntoMemory(String path) {
		long before = nearCacheOn() ? RedisTestStores.nearCacheHits(this.context) : 0;
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (nearCacheOn() && RedisTestStores.nearCacheHits(this.context) == before) {
			assertThat(cacheResult(this.http.get(path))).isEqualTo("HIT");
			assertThat(System.nanoTime()).as("a hit from memory within 10 s").isLessThan(deadline);
			sleep(20);
		}
	}

	/**
	 * A page cached before the outage is a hit only while the near cache may still trust
	 * what it heard last, its registration from its last heartbeat (with the near cache
	 * off, never), and never again afterwards until Redis is back.
	 */
	private void assertNothingServedFromMemory(String path, long outage) {
		long allowed = nearCacheOn() ? this.properties.getRedis().getNearCache().getRegistrationTtl().toNanos() : 0;
		long until = outage + allowed + Duration.ofMillis(500).toNanos();
		int hits = 0;
		String last = "none";
		while (System.nanoTime() - until < 0) {
			long started = System.nanoTime();
			HttpResponse<byte[]> response = this.http.get(path);
			assertThat(response.statusCode()).isEqualTo(200);
			last = cacheResult(response);
			if ("HIT".equals(last)) {
				hits++;
				assertThat(Duration.ofNanos(started - outage)).as("hit from memory since the outage began")
					.isLessThan(Duration.ofNanos(allowed));
			}
			sleep(20);
		}
		assertThat(last).as("after %d hits from memory", hits).isIn("BYPASS", "MISS");
	}

	private boolean nearCacheOn() {
		return this.properties.getRedis().getNearCache().isEnabled();
	}

	private void assertServedQuicklyWhileRedisIsUnavailable() {
		for (int i = 0; i < 30; i++) {
			String path = "/articles/" + (100 + i % 5);
			long started = System.nanoTime();
			HttpResponse<byte[]> response = this.http.get(path);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			assertThat(response.statusCode()).as("status of request %d", i).isEqualTo(200);
			assertThat(cacheResult(response)).isIn("BYPASS", "MISS");
			assertThat(elapsed).as("duration of request %d", i).isLessThan(WORST_ACCEPTABLE);
		}
	}

	/**
	 * Request a page until it is served as a hit, failing after a deadline. Each test
	 * path is first requested here, after Redis came back (empty after a restart), so a
	 * hit proves that caching resumed.
	 */
	private void awaitCaching(String path) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		Supplier<String> result = () -> {
			HttpResponse<byte[]> response = this.http.get(path);
			assertThat(response.statusCode()).isEqualTo(200);
			return cacheResult(response);
		};
		java.util.List<String> seen = new java.util.ArrayList<>();
		while (System.nanoTime() < deadline) {
			String outcome = result.get();
			if ("HIT".equals(outcome)) {
				return;
			}
			seen.add(outcome);
			sleep(50);
		}
		throw new AssertionError("Caching of " + path + " did not resume within 20 s; saw "
				+ seen.subList(Math.max(0, seen.size() - 5), seen.size()));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
