package dev.pagecache.dropin;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.dropin.DropInApplications.PlainApplication;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the page store's Redis down, the application's {@code /actuator/health} answers at
 * once and stays {@code UP}: pages are served uncached, and pagecache's own contributor
 * says the store is {@code DEGRADED}. This class owns its Redis.
 */
@SpringBootTest(classes = PlainApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-components=always" })
@WithRedisServer
@ExpectedLogs(value = { "dev.pagecache.actuate.PageStoreHealthIndicator", "dev.pagecache.web.PageCacheFilter" },
		because = "Redis is down")
class HealthWithRedisDownHttpTests {

	static RedisServerProcess redis;

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	void healthAnswersQuicklyAndUpWhileTheStoreIsDown() {
		TestHttp<byte[]> http = TestHttp.bytes(this.port);
		assertThat(cacheResult(http.get("/owners/1"))).isEqualTo("MISS");
		redis.kill();
		try {
			assertThat(cacheResult(http.get("/owners/1"))).isEqualTo("BYPASS");
			long start = System.nanoTime();
			HttpResponse<byte[]> response = http.get("/actuator/health", "Accept", "application/json");
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(took).as("time to answer /actuator/health").isLessThan(Duration.ofSeconds(5));
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode health = json.readTree(response.body());
			assertThat(health.get("status").asString()).isEqualTo("UP");
			assertThat(health.get("components").get("pageCache").get("status").asString()).isEqualTo("DEGRADED");
			assertThat(health.get("components").has("redis")).isFalse();
		}
		finally {
			redis.restart();
		}
	}

}
