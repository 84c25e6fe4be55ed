package dev.pagecache.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis stopped, the store's health is {@code DEGRADED}, the endpoint still answers
 * and says so, and pages are served uncached; once Redis is back, all is {@code UP}
 * again. A page cached before is not served from memory once Redis has been stopped for
 * the near cache's registration (here off, so at once;
 * {@link PageStoreOutageNearCacheHttpTests} runs the same with it on). This class owns
 * its Redis.
 */
@SpringBootTest(classes = StatisticsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=pagecache,health",
				"management.endpoint.health.show-details=always", "pagecache.redis.circuit-breaker-open-duration=100ms",
				"pagecache.redis.near-cache.enabled=false" })
@WithRedisServer
@ExpectedLogs(value = { "dev.pagecache.actuate.PageStoreHealthIndicator", "dev.pagecache.web.PageCacheFilter" },
		because = "Redis is stopped")
class PageStoreOutageHttpTests {

	static RedisServerProcess redis;

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	PageCacheProperties properties;

	@Autowired
	ApplicationContext context;

	@Test
	void storeDownIsReportedWhilePagesAreServedUncached() {
		TestHttp<byte[]> http = TestHttp.bytes(this.port);
		assertThat(cacheResult(http.get("/news/1"))).isEqualTo("MISS");
		assertThat(health(http).get("status").asString()).isEqualTo("UP");
		readIntoMemory(http);
		long outage = System.nanoTime();
		redis.kill();
		try {
			HttpResponse<byte[]> page = firstPageNotFromMemory(http, outage);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(cacheResult(page)).isEqualTo("BYPASS");
			JsonNode health = health(http);
			assertThat(health.get("status").asString()).isEqualTo("DEGRADED");
			assertThat(health.get("details").get("store").asString()).isEqualTo("redis");
			JsonNode statistics = read(http, "/actuator/pagecache");
			assertThat(statistics.get("state").asString()).isEqualTo("DOWN");
			// unknown statistics are left out
			assertThat(statistics.get("totals").has("entries")).isFalse();
			assertThat(statistics.has("fleet")).isFalse();
			assertThat(page(statistics, "/news/{id}").get("bypasses").asLong()).isEqualTo(1);
		}
		finally {
			redis.restart();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!"UP".equals(health(http).get("status").asString())) {
			assertThat(System.nanoTime()).as("health UP after Redis is back").isLessThan(deadline);
			pause();
		}
		assertThat(read(http, "/actuator/pagecache").get("state").asString()).isEqualTo("UP");
	}

	/**
	 * With the near cache on, read the page until it is a hit from memory (it is stored
	 * once the store has an epoch, and the near cache serves once its first heartbeat
	 * came back).
	 */
	private void readIntoMemory(TestHttp<byte[]> http) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (nearCacheOn() && RedisTestStores.nearCacheHits(this.context) == 0) {
			assertThat(cacheResult(http.get("/news/1"))).isIn("MISS", "HIT");
			assertThat(System.nanoTime()).as("a hit from memory within 10 s").isLessThan(deadline);
			pause();
		}
	}

	/**
	 * The page, requested until it is not a hit from memory, which it may be only while
	 * the near cache may still trust what it heard last: its registration (with the near
	 * cache off, never).
	 */
	private HttpResponse<byte[]> firstPageNotFromMemory(TestHttp<byte[]> http, long outage) {
		Duration allowed = nearCacheOn() ? this.properties.getRedis().getNearCache().getRegistrationTtl()
				: Duration.ZERO;
		while (true) {
			long started = System.nanoTime();
			HttpResponse<byte[]> page = http.get("/news/1");
			if (!"HIT".equals(cacheResult(page))) {
				return page;
			}
			assertThat(Duration.ofNanos(started - outage)).as("hit from memory since Redis was stopped")
				.isLessThan(allowed);
			pause();
		}
	}

	private boolean nearCacheOn() {
		return this.properties.getRedis().getNearCache().isEnabled();
	}

	private static JsonNode health(TestHttp<byte[]> http) {
		HttpResponse<byte[]> response = http.get("/actuator/health/pageCache", "Accept", "application/json");
		assertThat(response.statusCode()).isIn(200, 503);
		return json.readTree(response.body());
	}

	private static JsonNode read(TestHttp<byte[]> http, String path) {
		HttpResponse<byte[]> response = http.get(path, "Accept", "application/json");
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static JsonNode page(JsonNode statistics, String page) {
		for (JsonNode each : statistics.get("pages").values()) {
			if (each.get("page").asString().equals(page)) {
				return each;
			}
		}
		throw new AssertionError("No statistics for " + page);
	}

	private static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
