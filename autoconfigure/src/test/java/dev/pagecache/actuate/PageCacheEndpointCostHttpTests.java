package dev.pagecache.actuate;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RedisCommandCalls;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What one read of the endpoint costs Redis when a route has thousands of pages, counted
 * with {@code INFO commandstats} on the test's own server (commands that scripts call
 * count too): about a hundred commands, as many with 100 pages as with 5,000, and no page
 * key for an anonymous reader.
 */
@SpringBootTest(classes = { StatisticsTestApplication.class, BasicAuthenticationConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=pagecache", "pagecache.dashboard.enabled=true",
				"pagecache.statistics.fleet-flush-interval=1h" })
@WithRedisServer
class PageCacheEndpointCostHttpTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * More than a read of the endpoint needs (about 100 with one large route), far less
	 * than a check per page.
	 */
	private static final long MOST_COMMANDS_PER_READ = 150;

	static RedisServerProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	PageStore store;

	@Autowired
	PageCache pageCache;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
		// the first lookup creates the namespace's epoch
		this.http.get("/warm-up");
	}

	@AfterEach
	void dropThePages() {
		this.pageCache.clear();
	}

	@Test
	void aReadCostsRedisAsFewCommandsWithFiveThousandPagesInARouteAsWithAHundred() {
		putPages("/news/", "route:/news/{id}", 0, 100);
		RedisCommandCalls hundred = callsOfTheReadThatCounts("/news/{id}", 100);
		putPages("/news/", "route:/news/{id}", 100, 5_000);
		RedisCommandCalls fiveThousand = callsOfTheReadThatCounts("/news/{id}", 5_000);

		assertThat(hundred.total()).isLessThan(MOST_COMMANDS_PER_READ);
		assertThat(fiveThousand.total()).isLessThan(MOST_COMMANDS_PER_READ);
		assertThat(fiveThousand.of("exists")).isEqualTo(hundred.of("exists")).isLessThanOrEqualTo(40);
		assertThat(fiveThousand.total()).isBetween(hundred.total() - 10, hundred.total() + 10);
	}

	@Test
	void aReadOfATagWithFiveThousandPagesIsBoundedAndShowsKeysOnlyToAnAuthenticatedReader() {
		putPages("/topics/", "route:/topics/{id}", 0, 5_000);
		String path = "/actuator/pagecache/tags/route:/topics/%7Bid%7D";
		read(path); // loads the scripts

		RedisCommandCalls before = RedisCommandCalls.of(redis);
		HttpResponse<byte[]> anonymous = this.http.get(path, "Accept", "application/json");
		RedisCommandCalls anonymousCalls = RedisCommandCalls.of(redis).since(before);
		String anonymousBody = new String(anonymous.body(), StandardCharsets.UTF_8);
		assertThat(anonymousBody).doesNotContain("http://").hasSizeLessThan(500);
		JsonNode tag = json.readTree(anonymousBody).get("tags").get(0);
		assertThat(tag.get("entries").asLong()).isEqualTo(5_000);
		assertThat(tag.get("entriesEstimated").asBoolean()).isTrue();
		assertThat(anonymousCalls.total()).isLessThan(MOST_COMMANDS_PER_READ);

		before = RedisCommandCalls.of(redis);
		JsonNode authenticated = readAuthenticated(path);
		RedisCommandCalls authenticatedCalls = RedisCommandCalls.of(redis).since(before);
		assertThat(authenticated.get("pages").values()).hasSize(PageCacheEndpoint.MAX_KEYS_PER_TAG)
			.allSatisfy((key) -> assertThat(key.asString()).startsWith("GET http://localhost/topics/"));
		assertThat(authenticatedCalls.of("exists")).isLessThanOrEqualTo(32 + 2 * PageCacheEndpoint.MAX_KEYS_PER_TAG);
	}

	/**
	 * Make every route's count stale (an invalidation moves them all), then read the
	 * endpoint until a read counts the route again and shows its number of pages.
	 * @return the commands that read caused
	 */
	private RedisCommandCalls callsOfTheReadThatCounts(String route, long entries) {
		this.pageCache.invalidateTags("Unrelated#1");
		AtomicReference<RedisCommandCalls> calls = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
			RedisCommandCalls before = RedisCommandCalls.of(redis);
			JsonNode statistics = read("/actuator/pagecache");
			calls.set(RedisCommandCalls.of(redis).since(before));
			return entries(statistics, route) == entries;
		});
		return calls.get();
	}

	private void putPages(String path, String routeTag, int from, int to) {
		PageLookup lookup = this.store.lookup("GET http://localhost/warm-up");
		for (int i = from; i < to; i++) {
			PageEntry entry = new PageEntry(200, List.of(), new byte[] { 1 }, 1, "\"e\"", 0,
					Set.of(routeTag, PageTags.entity("Page", i)));
			assertThat(this.store.put("GET http://localhost" + path + i, entry, Duration.ofMinutes(10), lookup))
				.isTrue();
		}
	}

	private static long entries(JsonNode statistics, String route) {
		for (JsonNode page : statistics.get("pages").values()) {
			if (page.get("page").asString().equals(route)) {
				return page.get("entries").asLong(-1);
			}
		}
		throw new AssertionError("No statistics for " + route + " in " + statistics);
	}

	private JsonNode read(String path) {
		return json(path, this.http.get(path, "Accept", "application/json"));
	}

	private JsonNode readAuthenticated(String path) {
		return json(path, this.http.get(path, "Accept", "application/json", "Authorization",
				BasicAuthenticationConfiguration.authorization()));
	}

	private static JsonNode json(String path, HttpResponse<byte[]> response) {
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return json.readTree(response.body());
	}

}
