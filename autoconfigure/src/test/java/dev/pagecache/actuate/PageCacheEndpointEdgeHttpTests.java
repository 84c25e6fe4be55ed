package dev.pagecache.actuate;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.PageCache;
import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.edge.EdgePurger;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the edge tier on ({@code pagecache.edge.enabled=true}), the {@code pagecache}
 * endpoint has an {@code edge} section and the health has {@code pageCacheEdge}, over
 * real HTTP with the failed purges queued in a real Redis: both say when a purge failed
 * and waits to be retried.
 */
@SpringBootTest(classes = { StatisticsTestApplication.class, PageCacheEndpointEdgeHttpTests.FailingEdge.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=pagecache,health",
				"management.endpoint.health.show-details=always", "pagecache.edge.enabled=true",
				"pagecache.edge.repurge-delay=0s", "pagecache.edge.retry-interval=1h",
				"pagecache.edge.max-retry-interval=1h" })
@WithRedisServer
@ExpectedLogs(value = "dev.pagecache.edge", because = "the test's edge fails a purge on purpose")
class PageCacheEndpointEdgeHttpTests {

	static RedisServerProcess redis;

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	@Autowired
	FailingEdge edge;

	@Test
	void edgeSectionAndHealthShowAFailedPurgeWaitingToBeRetried() {
		TestHttp<byte[]> http = TestHttp.bytes(this.port);
		JsonNode before = read(http, "/actuator/pagecache").get("edge");
		assertThat(before).as("the endpoint's edge section").isNotNull();
		assertThat(before.propertyNames()).containsExactly("queued");
		assertThat(before.get("queued").asLong()).isZero();
		JsonNode healthBefore = read(http, "/actuator/health/pageCacheEdge");
		assertThat(healthBefore.get("status").asString()).isEqualTo("UP");
		assertThat(healthBefore.get("details").get("edgePurgesQueued").asLong()).isZero();
		this.edge.failing = true;
		this.pageCache.invalidateTags("News#1");
		JsonNode after = read(http, "/actuator/pagecache").get("edge");
		assertThat(after.propertyNames()).containsExactly("queued", "lastFailure", "lastFailureAt");
		assertThat(after.get("queued").asLong()).isOne();
		assertThat(after.get("lastFailure").asString()).isEqualTo("test-edge: test edge is down");
		assertThat(Instant.parse(after.get("lastFailureAt").asString())).isBefore(Instant.now().plusSeconds(1));
		JsonNode health = read(http, "/actuator/health/pageCacheEdge");
		assertThat(health.get("status").asString()).isEqualTo("DEGRADED");
		assertThat(health.get("details").get("edgePurgesQueued").asLong()).isOne();
		assertThat(health.get("details").get("lastEdgePurgeFailure").asString())
			.startsWith("test-edge: test edge is down at ");
	}

	private static JsonNode read(TestHttp<byte[]> http, String path) {
		HttpResponse<byte[]> response = http.get(path, "Accept", "application/json");
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return json.readTree(response.body());
	}

	/**
	 * An edge whose purges fail once the test says so.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FailingEdge {

		volatile boolean failing;

		@Bean
		EdgePurger testEdgePurger() {
			return new EdgePurger() {

				@Override
				public boolean purgesByTag() {
					return true;
				}

				@Override
				public void purge(EdgePurger.Purge purge) {
					if (FailingEdge.this.failing) {
						throw new EdgePurger.PurgeException("test edge is down");
					}
				}

				@Override
				public String name() {
					return "test-edge";
				}

			};
		}

	}

}
