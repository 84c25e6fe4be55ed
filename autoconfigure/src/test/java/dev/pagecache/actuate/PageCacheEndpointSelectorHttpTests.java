package dev.pagecache.actuate;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.PageCache;
import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code pagecache} endpoint's selectors over real HTTP, with a real Redis: an entity
 * names every page {@link PageCache#invalidateEntity(Class, Object)} drops, a page
 * pattern lists its pages with their tags, and a selector that names nothing is answered
 * with a body that says why.
 */
@SpringBootTest(classes = { StatisticsTestApplication.class, BasicAuthenticationConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=pagecache,health",
				"management.endpoint.pagecache.access=unrestricted", "pagecache.dashboard.enabled=true",
				"pagecache.statistics.fleet-flush-interval=1h" })
@WithRedisServer
class PageCacheEndpointSelectorHttpTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
		this.http.get("/warm-up");
	}

	@Test
	void anEntityListsAndPurgesThePagesThatShowOnlySomeOfItsAttributes() {
		get("/shelves/1", "MISS");
		get("/shelves/1", "HIT");
		get("/shelves/2", "MISS");
		JsonNode entity = read("/actuator/pagecache/entities/Shelf/1", true);
		assertThat(entity.get("tags").values())
			.extracting((tag) -> tag.get("tag").asString() + "=" + tag.get("entries").asLong())
			.containsExactly("Shelf#1=0", "Shelf#1.*=1", "Shelf#1:children=1");
		assertThat(entity.get("pages").values()).singleElement()
			.satisfies((key) -> assertThat(key.asString()).endsWith("/shelves/1"));
		assertThat(entity.get("pagesTruncated").asBoolean()).isFalse();
		assertThat(this.pageCache.pagesShowing(Shelf.class, 1)).singleElement()
			.satisfies((key) -> assertThat(key).endsWith("/shelves/1"));
		assertThat(this.http.send("DELETE", "/actuator/pagecache/entities/Shelf/1").statusCode()).isEqualTo(204);
		get("/shelves/1", "MISS");
		get("/shelves/2", "HIT");
	}

	@Test
	void aPagePatternListsItsPagesAndWhatEachDependsOnToAnAuthenticatedReader() {
		get("/shelves/7", "MISS");
		JsonNode detail = read("/actuator/pagecache/pages/shelves/%7Bid%7D", true);
		JsonNode stored = detail.get("stored");
		assertThat(stored.get("limit").asInt()).isEqualTo(PageListing.MAX_PAGES_PER_ROUTE);
		assertThat(stored.get("pages").values()).filteredOn((page) -> page.get("key").asString().endsWith("/shelves/7"))
			.singleElement()
			.satisfies((page) -> assertThat(page.get("tags").values()).extracting(JsonNode::asString)
				.contains("Shelf#7.title", "Shelf#7.*", "route:/shelves/{id}"));
		JsonNode anonymous = read("/actuator/pagecache/pages/shelves/%7Bid%7D", false);
		assertThat(anonymous.path("stored").isNull() || anonymous.path("stored").isMissingNode()).isTrue();
		assertThat(read("/actuator/pagecache/pages/", false).get("page").asString()).isEqualTo("/");
	}

	@Test
	void aSelectorThatNamesNothingIsAnsweredWithWhatIsWrong() {
		assertError("GET", "/actuator/pagecache/unknown/x", 400,
				"Unknown kind 'unknown': use one of pages, tags, entities");
		assertError("DELETE", "/actuator/pagecache/unknown/x", 400,
				"Unknown kind 'unknown': use one of pages, tags, entities");
		assertError("GET", "/actuator/pagecache/entities/Shelf/1/2", 400,
				"Name an entity type (entities/Post) or an entity (entities/Post/42), not Shelf/1/2");
		assertError("GET", "/actuator/pagecache/entities/Shelf%231", 400,
				"'Shelf#1' is not an entity name: use entities/Post or entities/Post/42, or tags/... for any other tag");
		assertError("GET", "/actuator/pagecache/tags", 400, "Name a tag: tags/Post%2342 (# is %23)");
		assertError("GET", "/actuator/pagecache/entities", 400,
				"Name an entity type (entities/Post) or an entity (entities/Post/42), not nothing");
		assertError("GET", "/actuator/pagecache/pages/nowhere", 404,
				"No page has the URL pattern '/nowhere': the patterns are /, /boards/{id}");
		assertError("DELETE", "/actuator/pagecache/pages/nowhere", 400,
				"No page has the URL pattern '/nowhere': the patterns are /, /boards/{id}");
	}

	private void assertError(String method, String path, int status, String messageStart) {
		HttpResponse<byte[]> response = this.http.send(method, path, "Accept", "application/json");
		assertThat(response.statusCode()).as(method + " " + path).isEqualTo(status);
		JsonNode body = json.readTree(response.body());
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.path("message").asString()).as(method + " " + path).startsWith(messageStart);
	}

	private void get(String path, String expected) {
		HttpResponse<byte[]> response = this.http.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(cacheResult(response)).as(path).isEqualTo(expected);
	}

	private JsonNode read(String path, boolean authenticated) {
		List<String> headers = authenticated ? List.of("Accept", "application/json", "Authorization",
				BasicAuthenticationConfiguration.authorization()) : List.of("Accept", "application/json");
		HttpResponse<byte[]> response = this.http.get(path, headers.toArray(String[]::new));
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return json.readTree(response.body());
	}

	/**
	 * An entity type named {@code Shelf}, for the API that takes classes.
	 */
	static final class Shelf {

	}

}
