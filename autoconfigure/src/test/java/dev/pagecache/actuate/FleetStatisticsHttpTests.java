package dev.pagecache.actuate;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of an application, each with its own server, sharing one Redis: each
 * shows its own statistics, and both show the fleet's, which add up to the sum of theirs.
 */
@WithRedisServer
class FleetStatisticsHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	static RedisServerProcess redis;

	private static ConfigurableApplicationContext firstContext;

	private static ConfigurableApplicationContext secondContext;

	private static TestHttp<byte[]> first;

	private static TestHttp<byte[]> second;

	@BeforeAll
	static void startTwoInstances() {
		firstContext = start();
		secondContext = start();
		first = TestHttp.bytes(port(firstContext));
		second = TestHttp.bytes(port(secondContext));
		// creates the namespace's epoch, which the first lookup does without storing its
		// page
		first.get("/warm-up");
	}

	@AfterAll
	static void stopTwoInstances() {
		if (secondContext != null) {
			secondContext.close();
		}
		if (firstContext != null) {
			firstContext.close();
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(StatisticsTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.data.redis.host=" + redis.getHost(),
					"spring.data.redis.port=" + redis.getPort(), "management.endpoints.web.exposure.include=pagecache",
					"management.endpoint.pagecache.access=unrestricted",
					"pagecache.statistics.fleet-flush-interval=100ms")
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@Test
	void fleetStatisticsAddUpTheStatisticsOfEveryInstance() {
		// pages are keyed by host and port, so each instance stores its own; tags are
		// shared
		get(first, "/news/1", "MISS");
		get(first, "/news/1", "HIT");
		get(first, "/news/1", "HIT");
		get(second, "/news/1", "MISS");
		get(second, "/news/1", "HIT");
		get(second, "/news/2", "MISS");
		get(second, "/news/2", "HIT");
		assertThat(cacheResult(second.get("/news/3", "Authorization", "Bearer token"))).isEqualTo("BYPASS");
		assertThat(second.send("DELETE", "/actuator/pagecache/entities/News/1").statusCode()).isEqualTo(204);
		get(first, "/news/1", "MISS");

		JsonNode secondStatistics = statistics(second);
		JsonNode firstStatistics = statistics(first);
		JsonNode fleet = firstStatistics.get("fleet");
		JsonNode news = page(fleet, "/news/{id}");
		assertThat(news.get("hits").asLong()).isEqualTo(4);
		assertThat(news.get("misses").asLong()).isEqualTo(4);
		assertThat(news.get("missesByReason").get("first").asLong()).isEqualTo(3);
		assertThat(news.get("missesByReason").get("invalidated").asLong()).isEqualTo(1);
		assertThat(news.get("stores").asLong()).isEqualTo(4);
		assertThat(news.get("bypasses").asLong()).isEqualTo(1);
		assertThat(news.get("hitRatio").asDouble()).isEqualTo(0.5);
		// a count is kept for a second even when pages were stored since
		awaitFleet(first, (counted) -> page(counted, "/news/{id}").get("entries").asLong() == 2);
		assertThat(page(firstStatistics, "/news/{id}").get("missesByReason").get("invalidated").asLong()).isEqualTo(1);
		assertThat(page(secondStatistics, "/news/{id}").get("bypasses").asLong()).isEqualTo(1);
		for (String statistic : new String[] { "hits", "misses", "stores", "bypasses", "invalidations" }) {
			assertThat(fleet.get("totals").get(statistic).asLong()).as(statistic)
				.isEqualTo(firstStatistics.get("totals").get(statistic).asLong()
						+ secondStatistics.get("totals").get(statistic).asLong());
		}
		assertThat(firstStatistics.get("invalidationsByType").values()).isEmpty();
		assertThat(fleet.get("invalidationsByType").values()).singleElement().satisfies((type) -> {
			assertThat(type.get("type").asString()).isEqualTo("News");
			assertThat(type.get("invalidations").asLong()).isEqualTo(1);
		});
		assertThat(page(statistics(second).get("fleet"), "/news/{id}").get("hits").asLong()).isEqualTo(4);
	}

	@Test
	void eachInstanceAddsItsStatisticsEveryFewSecondsWithoutBeingAsked() {
		long before = hits(statistics(first).get("fleet"), "/topics/{id}");
		get(second, "/topics/1", null);
		get(second, "/topics/1", "HIT");
		get(second, "/topics/1", "HIT");
		// only the first instance is read: the second adds its statistics on its own
		awaitFleet(first, (fleet) -> hits(fleet, "/topics/{id}") >= before + 2);
		assertThat(hits(statistics(first).get("fleet"), "/topics/{id}")).isEqualTo(before + 2);
	}

	private static long hits(JsonNode statistics, String page) {
		for (JsonNode each : statistics.get("pages").values()) {
			if (each.get("page").asString().equals(page)) {
				return each.get("hits").asLong();
			}
		}
		return 0;
	}

	private static void awaitFleet(TestHttp<byte[]> instance, Predicate<JsonNode> condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!condition.test(statistics(instance).get("fleet"))) {
			assertThat(System.nanoTime()).as("fleet statistics").isLessThan(deadline);
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private static void get(TestHttp<byte[]> instance, String path, String expected) {
		HttpResponse<byte[]> response = instance.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		if (expected != null) {
			assertThat(cacheResult(response)).as(path).isEqualTo(expected);
		}
	}

	private static JsonNode statistics(TestHttp<byte[]> instance) {
		HttpResponse<byte[]> response = instance.get("/actuator/pagecache", "Accept", "application/json");
		assertThat(response.statusCode()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static JsonNode page(JsonNode statistics, String page) {
		for (JsonNode each : statistics.get("pages").values()) {
			if (each.get("page").asString().equals(page)) {
				return each;
			}
		}
		throw new AssertionError("No statistics for " + page + " in " + statistics);
	}

}
