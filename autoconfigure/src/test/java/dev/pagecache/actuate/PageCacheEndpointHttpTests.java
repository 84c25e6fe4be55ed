package dev.pagecache.actuate;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.actuate.app.NewsController;
import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The {@code pagecache} endpoint, its HTML view, the health indicator and the meters over
 * real HTTP, with a real Redis, behind Spring Security's filters (HTTP Basic, anonymous
 * authentication). Each test uses pages of its own, so their statistics are exact; totals
 * are compared as deltas. The near cache is off: a page deleted behind the store's back
 * (an eviction) must be a miss counted as such, which a near cache, rightly, hides.
 */
@SpringBootTest(classes = { StatisticsTestApplication.class, BasicAuthenticationConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=pagecache,health",
				"management.endpoint.health.show-details=always", "management.endpoint.pagecache.access=unrestricted",
				"pagecache.dashboard.enabled=true", "pagecache.statistics.fleet-flush-interval=1h",
				"pagecache.redis.near-cache.enabled=false" })
@WithRedisServer
class PageCacheEndpointHttpTests {

	static RedisServerProcess redis;

	static final JsonMapper json = JsonMapper.builder().build();

	static final String[] ROUTES = { "/", "/news/{id}", "/flash/{id}", "/items/{id}", "/topics/{id}", "/boards/{id}",
			"/notes/{id}", "/dash/{id}", "/shelves/{id}", "/warm-up" };

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	@Autowired
	NewsController controller;

	@Autowired
	MeterRegistry meters;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
		this.http.get("/warm-up");
	}

	@Test
	void statisticsHaveExactlyTheDocumentedShape() {
		this.http.get("/");
		this.http.get("/");
		JsonNode statistics = statistics();
		assertThat(statistics.propertyNames()).containsExactly("store", "state", "totals", "pages",
				"invalidationsByType", "fleet");
		assertThat(statistics.get("store").asString()).isEqualTo("redis");
		assertThat(statistics.get("state").asString()).isEqualTo("UP");
		assertTotalsShape(statistics.get("totals"));
		assertThat(statistics.get("pages")).allSatisfy(PageCacheEndpointHttpTests::assertPageShape);
		assertThat(statistics.get("pages").values()).extracting((page) -> page.get("page").asString())
			.contains(ROUTES)
			.doesNotHaveDuplicates();
		JsonNode home = page(statistics, "/");
		assertThat(home.get("hits").asLong()).isEqualTo(1);
		assertThat(home.get("misses").asLong()).isEqualTo(1);
		assertThat(home.get("hitRatio").asDouble()).isEqualTo(0.5);
		awaitEntries("/", 1);
		JsonNode fleet = statistics.get("fleet");
		assertThat(fleet.propertyNames()).containsExactly("totals", "pages", "invalidationsByType");
		assertTotalsShape(fleet.get("totals"));
		assertThat(fleet.get("pages")).allSatisfy(PageCacheEndpointHttpTests::assertPageShape);
		assertThat(page(fleet, "/").get("hits").asLong()).isEqualTo(1);
	}

	private static void assertTotalsShape(JsonNode totals) {
		assertThat(totals.propertyNames()).containsExactly("hits", "misses", "hitRatio", "stores", "notStored",
				"notStoredByReason", "invalidations", "entries", "entriesEstimated", "missesByReason", "bypasses",
				"savedRenderMillis");
		assertThat(totals.get("missesByReason").propertyNames()).containsExactly("first", "invalidated", "expired",
				"evicted");
	}

	private static void assertPageShape(JsonNode page) {
		assertThat(page.propertyNames()).containsExactly("page", "hits", "misses", "hitRatio", "missesByReason",
				"averageRenderMillis", "savedRenderMillis", "stores", "notStored", "notStoredByReason", "bypasses",
				"entries", "entriesEstimated");
		assertThat(page.get("missesByReason").propertyNames()).containsExactly("first", "invalidated", "expired",
				"evicted");
	}

	@Test
	void aKnownSequenceIsCountedExactlyInTheEndpointAndInTheMeters() {
		JsonNode before = statistics();
		int rendersBefore = this.controller.renders();
		// 3 first renders, then 6 hits
		get("/news/100", "MISS");
		get("/news/101", "MISS");
		get("/news/102", "MISS");
		for (int i = 0; i < 2; i++) {
			get("/news/100", "HIT");
			get("/news/101", "HIT");
			get("/news/102", "HIT");
		}
		// 2 invalidations (one through the endpoint), 1 eviction (the page deleted behind
		// the store's back, as
		// Redis does under maxmemory)
		assertThat(delete("/actuator/pagecache/entities/News/100")).isEqualTo(204);
		this.pageCache.invalidateTags("News#101");
		String evicted = this.pageCache.pagesTagged("News#102").get(0);
		assertThat(redis.command("DEL", "{pagecache}:page:" + evicted)).isEqualTo(":1");
		get("/news/100", "MISS");
		get("/news/101", "MISS");
		get("/news/102", "MISS");
		// 1 bypass, then 3 hits
		assertThat(cacheResult(this.http.get("/news/100", "Authorization", "Bearer token"))).isEqualTo("BYPASS");
		get("/news/100", "HIT");
		get("/news/101", "HIT");
		get("/news/102", "HIT");
		// 1 first render and 1 expiry
		get("/flash/7", "MISS");
		String flashKey = this.pageCache.pagesTagged("Flash#7").get(0);
		awaitGone("{pagecache}:page:" + flashKey);
		get("/flash/7", "MISS");

		JsonNode after = statistics();
		JsonNode news = page(after, "/news/{id}");
		assertThat(news.get("hits").asLong()).isEqualTo(9);
		assertThat(news.get("misses").asLong()).isEqualTo(6);
		assertThat(news.get("hitRatio").asDouble()).isEqualTo(0.6);
		assertMisses(news, 3, 2, 0, 1);
		assertThat(news.get("stores").asLong()).isEqualTo(6);
		assertThat(news.get("bypasses").asLong()).isEqualTo(1);
		awaitEntries("/news/{id}", 3);
		assertThat(news.get("averageRenderMillis").asDouble()).isPositive();
		assertThat(news.get("savedRenderMillis").asDouble()).isCloseTo(9 * news.get("averageRenderMillis").asDouble(),
				offset(0.01));
		JsonNode flash = page(after, "/flash/{id}");
		assertThat(flash.get("hits").asLong()).isZero();
		assertMisses(flash, 1, 0, 1, 0);
		assertThat(flash.get("hitRatio").asDouble()).isZero();
		assertThat(this.controller.renders() - rendersBefore).isEqualTo(6 + 2 + 1);

		assertThat(delta(before, after, "hits")).isEqualTo(9);
		assertThat(delta(before, after, "misses")).isEqualTo(8);
		assertThat(delta(before, after, "stores")).isEqualTo(8);
		assertThat(delta(before, after, "invalidations")).isEqualTo(2);
		assertThat(delta(before, after, "bypasses")).isEqualTo(1);
		assertThat(invalidations(after, "News") - invalidations(before, "News")).isEqualTo(2);
		assertThat(page(after.get("fleet"), "/news/{id}").get("hits").asLong()).isEqualTo(9);
		assertThat(page(after.get("fleet"), "/news/{id}").get("missesByReason").get("evicted").asLong()).isEqualTo(1);

		assertThat(count("pagecache.requests", "page", "/news/{id}", "result", "hit")).isEqualTo(9);
		assertThat(count("pagecache.requests", "page", "/news/{id}", "result", "miss")).isEqualTo(6);
		assertThat(count("pagecache.requests", "page", "/news/{id}", "result", "bypass")).isEqualTo(1);
		assertThat(count("pagecache.misses", "page", "/news/{id}", "reason", "first")).isEqualTo(3);
		assertThat(count("pagecache.misses", "page", "/news/{id}", "reason", "invalidated")).isEqualTo(2);
		assertThat(count("pagecache.misses", "page", "/news/{id}", "reason", "expired")).isZero();
		assertThat(count("pagecache.misses", "page", "/news/{id}", "reason", "evicted")).isEqualTo(1);
		assertThat(count("pagecache.misses", "page", "/flash/{id}", "reason", "expired")).isEqualTo(1);
		assertThat(count("pagecache.misses", "page", "/flash/{id}", "reason", "first")).isEqualTo(1);
		assertThat(count("pagecache.stores", "page", "/news/{id}")).isEqualTo(6);
		assertThat(this.meters.get("pagecache.render").tag("page", "/news/{id}").functionTimer().count()).isEqualTo(6);
		assertThat(this.meters.get("pagecache.render")
			.tag("page", "/news/{id}")
			.functionTimer()
			.totalTime(TimeUnit.MILLISECONDS)).isPositive();
		assertThat(count("pagecache.invalidations", "type", "News")).isEqualTo(2);
	}

	@Test
	void selectorsShowOnePageAndHowManyPagesDependOnATagOrAnEntityWithTheirKeysOnlyToAnAuthenticatedReader() {
		get("/topics/1", "MISS");
		get("/topics/2", "MISS");
		get("/topics/2", "HIT");
		JsonNode detail = read("/actuator/pagecache/pages/topics/%7Bid%7D");
		assertThat(detail.propertyNames()).containsExactly("page", "instance", "fleet");
		assertThat(detail.get("page").asString()).isEqualTo("/topics/{id}");
		assertThat(detail.get("instance").get("misses").asLong()).isEqualTo(2);
		assertThat(detail.get("instance").get("hits").asLong()).isEqualTo(1);
		assertThat(detail.get("fleet").get("hits").asLong()).isEqualTo(1);
		awaitEntries("/topics/{id}", 2);

		JsonNode tagged = readAuthenticated("/actuator/pagecache/tags/Topic%231");
		assertThat(tagged.propertyNames()).containsExactly("tags", "pages", "pagesLimitPerTag", "pagesTruncated");
		assertThat(tagged.get("tags").values()).singleElement().satisfies((tag) -> {
			assertThat(tag.propertyNames()).containsExactly("tag", "entries", "entriesEstimated");
			assertThat(tag.get("tag").asString()).isEqualTo("Topic#1");
			assertThat(tag.get("entries").asLong()).isEqualTo(1);
			assertThat(tag.get("entriesEstimated").asBoolean()).isFalse();
		});
		assertThat(tagged.get("pages").values()).singleElement()
			.satisfies((key) -> assertThat(key.asString()).endsWith("/topics/1"));
		JsonNode entity = readAuthenticated("/actuator/pagecache/entities/Topic/2");
		assertThat(entity.get("tags").values()).extracting((tag) -> tag.get("tag").asString())
			.containsExactly("Topic#2", "Topic#2.*", "Topic#2:children");
		assertThat(entity.get("pages").values()).singleElement()
			.satisfies((key) -> assertThat(key.asString()).endsWith("/topics/2"));
		JsonNode route = readAuthenticated("/actuator/pagecache/tags/route:/topics/%7Bid%7D");
		assertThat(route.get("pages").values()).hasSize(2);

		JsonNode anonymousRoute = read("/actuator/pagecache/tags/route:/topics/%7Bid%7D");
		assertThat(anonymousRoute.get("tags").values()).singleElement()
			.satisfies((tag) -> assertThat(tag.get("entries").asLong()).isEqualTo(2));
		assertThat(anonymousRoute.path("pages").isNull() || anonymousRoute.path("pages").isMissingNode()).isTrue();
		assertThat(this.http.get("/actuator/pagecache/pages/nowhere").statusCode()).isEqualTo(404);
		assertThat(this.http.get("/actuator/pagecache/unknown/x").statusCode()).isEqualTo(400);
	}

	@Test
	void anAnonymousReaderIsShownNoPageKeyAnywhereWhereAnAuthenticatedOneIs() {
		get("/notes/31", "MISS");
		get("/notes/32", "MISS");
		List<String> keys = new ArrayList<>(this.pageCache.pagesTagged(PageTags.route("/notes/{id}")));
		assertThat(keys).hasSize(2);
		String[] reads = { "/actuator/pagecache", "/actuator/pagecache/pages/notes/%7Bid%7D",
				"/actuator/pagecache/tags/route:/notes/%7Bid%7D", "/actuator/pagecache/tags/Note%2331",
				"/actuator/pagecache/entities/Note/32", "/actuator/pagecache/entities/Note",
				"/actuator/pagecache/dashboard" };
		for (String path : reads) {
			HttpResponse<byte[]> response = this.http.get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			String body = new String(response.body(), StandardCharsets.UTF_8);
			assertThat(body).as(path).doesNotContain("http://").doesNotContain(keys.get(0)).doesNotContain(keys.get(1));
		}
		String authenticated = new String(this.http
			.get("/actuator/pagecache/tags/route:/notes/%7Bid%7D", "Authorization",
					BasicAuthenticationConfiguration.authorization())
			.body(), StandardCharsets.UTF_8);
		assertThat(authenticated).contains(keys.get(0)).contains(keys.get(1));
		assertThat(
				this.http
					.get("/actuator/pagecache", "Authorization",
							BasicAuthenticationConfiguration.authorization(BasicAuthenticationConfiguration.USERNAME,
									"wrong"))
					.statusCode())
			.isEqualTo(401);
	}

	@Test
	void purgesDropPagesOfARouteATagAnEntityOrEverything() {
		get("/boards/11", "MISS");
		get("/boards/12", "MISS");
		assertThat(delete("/actuator/pagecache/tags/Board%2311")).isEqualTo(204);
		get("/boards/11", "MISS");
		get("/boards/12", "HIT");
		assertThat(delete("/actuator/pagecache/pages/boards/%7Bid%7D")).isEqualTo(204);
		get("/boards/11", "MISS");
		get("/boards/12", "MISS");
		assertThat(delete("/actuator/pagecache/entities/Board/12")).isEqualTo(204);
		get("/boards/11", "HIT");
		get("/boards/12", "MISS");
		assertThat(delete("/actuator/pagecache")).isEqualTo(204);
		get("/boards/11", "MISS");
		get("/boards/12", "MISS");
		assertThat(delete("/actuator/pagecache/unknown/x")).isEqualTo(400);
		JsonNode boards = page(statistics(), "/boards/{id}");
		assertMisses(boards, 2, 6, 0, 0);
		assertThat(boards.get("hits").asLong()).isEqualTo(2);
	}

	@Test
	void dashboardShowsEachPagesRatioAndTheSplitOfItsMisses() {
		get("/dash/1", "MISS");
		get("/dash/1", "HIT");
		get("/dash/2", "MISS");
		HttpResponse<byte[]> response = this.http.get("/actuator/pagecache/dashboard", "Accept", "text/html");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		String html = new String(response.body(), StandardCharsets.UTF_8);
		assertThat(html).startsWith("<!DOCTYPE html>")
			.contains("<main id=\"pagecache-dashboard\" data-store=\"redis\" data-state=\"UP\" data-purge=\"false\"")
			.contains("<section id=\"pc-instance\"")
			.contains("<section id=\"pc-fleet\"")
			.contains("<tr class=\"pc-page\" data-page=\"/dash/{id}\" data-hit-ratio=\"0.3333\">")
			.contains("<span class=\"pc-hit-ratio\">33.3%</span>")
			.contains("<span class=\"pc-bar-hit\" style=\"width:33.33%\">")
			.contains("<span class=\"pc-miss-first\" data-count=\"2\"")
			.contains("class=\"pc-miss-invalidated\"")
			.contains("<section id=\"pc-history\"")
			.contains("<svg class=\"pc-chart\"")
			.doesNotContain("<script src");
	}

	@Test
	void healthOfTheStoreIsUp() {
		JsonNode health = read("/actuator/health/pageCache");
		assertThat(health.get("status").asString()).isEqualTo("UP");
		assertThat(health.get("details").get("store").asString()).isEqualTo("redis");
	}

	@Test
	void meterTagValuesStayTheSameUnderRandomIdsAndQueryStrings() throws Exception {
		requestRandomItems(200);
		Set<Meter.Id> metersBefore = pageCacheMeterIds();
		long fieldsBefore = fleetFields();
		requestRandomItems(10_000);
		Set<Meter.Id> metersAfter = pageCacheMeterIds();
		assertThat(metersAfter).isEqualTo(metersBefore);
		Set<String> pageTags = new HashSet<>();
		metersAfter.forEach((id) -> {
			String page = id.getTag("page");
			if (page != null) {
				pageTags.add(page);
			}
		});
		assertThat(pageTags).containsExactlyInAnyOrder(ROUTES);
		long fieldsAfter = fleetFields();
		assertThat(fieldsAfter).isLessThanOrEqualTo(fieldsBefore + 9);
		assertThat(redis.command("HKEYS", "{pagecache}:stats")).doesNotContain("?").doesNotContain("/items/1");
		JsonNode items = page(statistics(), "/items/{id}");
		assertThat(items.get("hits").asLong() + items.get("misses").asLong()).isEqualTo(10_200);
	}

	private void requestRandomItems(int count) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int thread = 0; thread < 8; thread++) {
				int share = count / 8 + ((thread < count % 8) ? 1 : 0);
				futures.add(executor.submit(() -> {
					TestHttp<byte[]> client = TestHttp.bytes(this.port);
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < share; i++) {
						long id = random.nextLong(1_000_000_000L);
						String query = "?q" + random.nextInt(1_000_000) + "=" + random.nextLong() + "&utm_source="
								+ random.nextInt();
						assertThat(client.get("/items/" + id + query).statusCode()).isEqualTo(200);
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private Set<Meter.Id> pageCacheMeterIds() {
		Set<Meter.Id> ids = new HashSet<>();
		for (Meter meter : this.meters.getMeters()) {
			if (meter.getId().getName().startsWith("pagecache.")) {
				ids.add(meter.getId());
			}
		}
		return ids;
	}

	private long fleetFields() {
		statistics(); // adds this instance's statistics to the fleet's
		String reply = redis.command("HLEN", "{pagecache}:stats");
		return Long.parseLong(reply.substring(1).trim());
	}

	private void get(String path, String expected) {
		HttpResponse<byte[]> response = this.http.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		if (expected != null) {
			assertThat(cacheResult(response)).as(path).isEqualTo(expected);
		}
	}

	private static void awaitGone(String key) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!redis.command("EXISTS", key).equals(":0")) {
			assertThat(System.nanoTime()).as("expiry of " + key).isLessThan(deadline);
			pause();
		}
	}

	private static void pause() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private int delete(String path) {
		return this.http.send("DELETE", path).statusCode();
	}

	private JsonNode statistics() {
		return read("/actuator/pagecache");
	}

	/**
	 * Wait until the endpoint shows a route's number of pages: a count is kept for a
	 * second even when pages were stored since.
	 */
	private void awaitEntries(String route, long expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (page(statistics(), route).get("entries").asLong() != expected) {
			assertThat(System.nanoTime()).as("entries of " + route + " reaching " + expected).isLessThan(deadline);
			pause();
		}
	}

	private JsonNode read(String path) {
		return read(path, "Accept", "application/json");
	}

	private JsonNode readAuthenticated(String path) {
		return read(path, "Accept", "application/json", "Authorization",
				BasicAuthenticationConfiguration.authorization());
	}

	private JsonNode read(String path, String... headers) {
		HttpResponse<byte[]> response = this.http.get(path, headers);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
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

	private static void assertMisses(JsonNode page, long first, long invalidated, long expired, long evicted) {
		JsonNode reasons = page.get("missesByReason");
		assertThat(reasons.get("first").asLong()).as("first").isEqualTo(first);
		assertThat(reasons.get("invalidated").asLong()).as("invalidated").isEqualTo(invalidated);
		assertThat(reasons.get("expired").asLong()).as("expired").isEqualTo(expired);
		assertThat(reasons.get("evicted").asLong()).as("evicted").isEqualTo(evicted);
	}

	private static long delta(JsonNode before, JsonNode after, String total) {
		return after.get("totals").get(total).asLong() - before.get("totals").get(total).asLong();
	}

	private static long invalidations(JsonNode statistics, String type) {
		for (JsonNode each : statistics.get("invalidationsByType").values()) {
			if (each.get("type").asString().equals(type)) {
				return each.get("invalidations").asLong();
			}
		}
		return 0;
	}

	private double count(String name, String... tags) {
		return this.meters.get(name).tags(tags).functionCounter().count();
	}

}
