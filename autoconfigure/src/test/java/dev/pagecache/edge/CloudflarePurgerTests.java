package dev.pagecache.edge;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import dev.pagecache.edge.FakeEdgeApi.Answer;
import dev.pagecache.edge.FakeEdgeApi.Request;
import dev.pagecache.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Cloudflare purger against a local server that checks each request against
 * Cloudflare's documented purge_cache API (method, path, Bearer token, JSON body of tags,
 * files or purge_everything, at most 100 operations a request) and answers as it does.
 */
class CloudflarePurgerTests {

	private static final String ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353";

	private static final String TOKEN = "cloudflare-api-token";

	private static final String SUCCESS = "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\""
			+ ZONE_ID + "\"}}";

	private final FakeEdgeApi api = FakeEdgeApi.start(CloudflarePurgerTests::cloudflare);

	private final MutableClock clock = new MutableClock();

	@AfterEach
	void stopApi() {
		this.api.close();
	}

	@Test
	void purgesByCacheTagInBatchesOfAtMost100() {
		Set<String> tokens = FakeEdgeApi.tokens(250);
		CloudflarePurger purger = purger(true, 100);
		assertThat(purger.purgesByTag()).isTrue();
		purger.purge(new EdgePurger.Purge(tokens, Set.of()));
		List<String> purged = new ArrayList<>();
		assertThat(this.api.requests()).hasSize(3).allSatisfy((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.target()).isEqualTo("/zones/" + ZONE_ID + "/purge_cache");
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
			List<String> tags = JsonPath.read(request.body(), "$.tags");
			assertThat(tags).hasSizeLessThanOrEqualTo(100);
			purged.addAll(tags);
		});
		assertThat(purged).containsExactlyInAnyOrderElementsOf(tokens);
	}

	@Test
	void withoutCacheTagPagesArePurgedAsFilesByTheirFullUrl() {
		CloudflarePurger purger = purger(false, 100);
		assertThat(purger.purgesByTag()).isFalse();
		Set<String> urls = new LinkedHashSet<>();
		IntStream.range(0, 150).forEach((i) -> urls.add("/posts/" + i));
		urls.add("/posts?page=2");
		purger.purge(new EdgePurger.Purge(Set.of(), urls));
		List<String> files = new ArrayList<>();
		assertThat(this.api.requests()).hasSize(2).allSatisfy((request) -> {
			assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
			files.addAll(JsonPath.read(request.body(), "$.files"));
		});
		assertThat(files).hasSize(151)
			.contains("https://www.example.com/posts/0", "https://www.example.com/posts?page=2")
			.allMatch((file) -> file.startsWith("https://www.example.com/"));
	}

	@Test
	void everythingIsTheAllPagesTagOrTheWholeZone() {
		purger(true, 100).purge(EdgePurger.Purge.everything());
		purger(false, 100).purge(EdgePurger.Purge.everything());
		List<Request> requests = this.api.requests();
		assertThat(requests).hasSize(2);
		List<String> tags = JsonPath.read(requests.get(0).body(), "$.tags");
		assertThat(tags).containsExactly(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG));
		Boolean everything = JsonPath.read(requests.get(1).body(), "$.purge_everything");
		assertThat(everything).isTrue();
	}

	@Test
	void anUnsuccessfulAnswerFailsThePurgeWithCloudflaresError() {
		// more than Cloudflare takes in one request: its answer is an error
		CloudflarePurger purger = purger(true, 150);
		assertThatExceptionOfType(EdgePurger.PurgeException.class)
			.isThrownBy(() -> purger.purge(new EdgePurger.Purge(FakeEdgeApi.tokens(150), Set.of())))
			.withMessageContaining("400")
			.withMessageContaining("at most 100");
	}

	@Test
	void rateLimitedPurgesWaitForRetryAfter() {
		CloudflarePurger purger = purger(true, 100);
		EdgePurger.Purge purge = new EdgePurger.Purge(FakeEdgeApi.tokens(2), Set.of());
		this.api.answerNext(new Answer(429, Map.of("Retry-After", "60"),
				"{\"success\":false,\"errors\":[{\"code\":971,\"message\":\"Please wait and consider throttling your request speed\"}]}"));
		assertThatExceptionOfType(EdgePurger.PurgeException.class).isThrownBy(() -> purger.purge(purge))
			.withMessageContaining("429");
		assertThatExceptionOfType(EdgePurger.PurgeException.class).isThrownBy(() -> purger.purge(purge));
		assertThat(this.api.requests()).hasSize(1);
		this.clock.advance(Duration.ofSeconds(60));
		purger.purge(purge);
		assertThat(this.api.requests()).hasSize(2);
	}

	@Test
	void rejectedTokenFailsNamingTheProperty() {
		CloudflarePurger purger = new CloudflarePurger(this.api.url(), ZONE_ID, "wrong",
				URI.create("https://www.example.com"), true, 100,
				new EdgeHttp("Cloudflare", Duration.ofSeconds(5), this.clock));
		assertThatExceptionOfType(EdgePurger.PurgeException.class)
			.isThrownBy(() -> purger.purge(new EdgePurger.Purge(FakeEdgeApi.tokens(1), Set.of())))
			.withMessageContaining("pagecache.edge.cloudflare.api-token");
	}

	private CloudflarePurger purger(boolean byTags, int maxItemsPerRequest) {
		return new CloudflarePurger(this.api.url(), ZONE_ID, TOKEN, URI.create("https://www.example.com"), byTags,
				maxItemsPerRequest, new EdgeHttp("Cloudflare", Duration.ofSeconds(5), this.clock));
	}

	/**
	 * Cloudflare's purge_cache as documented: POST /zones/{zone_id}/purge_cache with a
	 * Bearer token and a JSON body of one kind of purge, at most 100 tags or files.
	 */
	private static Answer cloudflare(Request request) {
		if (!request.method().equals("POST") || !request.target().equals("/zones/" + ZONE_ID + "/purge_cache")) {
			return error(404, 7003, "Could not route to " + request.target());
		}
		if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
			return error(403, 10000, "Authentication error");
		}
		if (!request.header("Content-Type").startsWith("application/json")) {
			return error(400, 1001, "Content-Type must be application/json");
		}
		Map<String, Object> body = JsonPath.read(request.body(), "$");
		if (body.size() != 1) {
			return error(400, 1012,
					"Request must contain exactly one of files, tags, hosts, prefixes or " + "purge_everything");
		}
		if (body.containsKey("purge_everything")) {
			return Boolean.TRUE.equals(body.get("purge_everything")) ? Answer.json(200, SUCCESS)
					: error(400, 1012, "purge_everything must be true");
		}
		Object items = body.containsKey("tags") ? body.get("tags") : body.get("files");
		if (!(items instanceof List<?> list) || list.isEmpty()) {
			return error(400, 1012, "Request must contain tags or files");
		}
		if (list.size() > 100) {
			return error(400, 1018, "Only at most 100 items are allowed per request");
		}
		return Answer.json(200, SUCCESS);
	}

	private static Answer error(int status, int code, String message) {
		return Answer.json(status, "{\"success\":false,\"errors\":[{\"code\":" + code + ",\"message\":\"" + message
				+ "\"}],\"messages\":[],\"result\":null}");
	}

}
