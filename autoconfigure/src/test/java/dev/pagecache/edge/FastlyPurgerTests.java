package dev.pagecache.edge;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import dev.pagecache.edge.FakeEdgeApi.Answer;
import dev.pagecache.edge.FakeEdgeApi.Request;
import dev.pagecache.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Fastly purger against a local server that checks each request against Fastly's
 * documented purge API (method, path, Fastly-Key, JSON body, at most 256 keys a batch,
 * purge-all never soft) and answers as it does.
 */
class FastlyPurgerTests {

	private static final String SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY";

	private static final String TOKEN = "fastly-api-token";

	private final FakeEdgeApi api = FakeEdgeApi.start(FastlyPurgerTests::fastly);

	private final MutableClock clock = new MutableClock();

	@AfterEach
	void stopApi() {
		this.api.close();
	}

	@Test
	void purgesSurrogateKeysInBatchesOfAtMost256() {
		Set<String> tokens = FakeEdgeApi.tokens(600);
		purger(false).purge(new EdgePurger.Purge(tokens, Set.of()));
		List<Request> requests = this.api.requests();
		assertThat(requests).hasSize(3).allSatisfy((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.target()).isEqualTo("/service/" + SERVICE_ID + "/purge");
			assertThat(request.header("Fastly-Key")).isEqualTo(TOKEN);
			assertThat(request.header("Fastly-Soft-Purge")).isEmpty();
		});
		List<String> purged = new ArrayList<>();
		for (Request request : requests) {
			List<String> keys = JsonPath.read(request.body(), "$.surrogate_keys");
			assertThat(keys).hasSizeLessThanOrEqualTo(256);
			purged.addAll(keys);
		}
		assertThat(purged).containsExactlyInAnyOrderElementsOf(tokens);
	}

	@Test
	void softPurgeMarksThePagesStale() {
		purger(true).purge(new EdgePurger.Purge(FakeEdgeApi.tokens(3), Set.of("/posts/1")));
		assertThat(this.api.requests()).hasSize(2)
			.allSatisfy((request) -> assertThat(request.header("Fastly-Soft-Purge")).isEqualTo("1"));
	}

	@Test
	void pagesWhoseTagsDidNotFitArePurgedByUrl() {
		purger(false).purge(new EdgePurger.Purge(Set.of(), new LinkedHashSet<>(List.of("/posts/1", "/posts?page=2"))));
		assertThat(this.api.requests()).extracting(Request::target)
			.containsExactlyInAnyOrder("/purge/www.example.com/posts/1", "/purge/www.example.com/posts%3Fpage=2");
		assertThat(this.api.requests()).allSatisfy((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.header("Fastly-Key")).isEqualTo(TOKEN);
		});
	}

	@Test
	void everythingIsThePurgeOfTheKeyEveryPageCarries() {
		purger(false).purge(EdgePurger.Purge.everything());
		assertThat(this.api.requests()).singleElement().satisfies((request) -> {
			assertThat(request.target()).isEqualTo("/service/" + SERVICE_ID + "/purge");
			List<String> keys = JsonPath.read(request.body(), "$.surrogate_keys");
			assertThat(keys).containsExactly(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG));
		});
	}

	@Test
	void withoutSurrogateKeysPagesArePurgedByUrlAndEverythingByPurgeAll() {
		FastlyPurger purger = purger(false, true);
		assertThat(purger.purgesByTag()).isFalse();
		purger.purge(new EdgePurger.Purge(Set.of(), Set.of("/posts/1")));
		purger.purge(EdgePurger.Purge.everything());
		assertThat(this.api.requests()).extracting(Request::target)
			.containsExactly("/purge/www.example.com/posts/1", "/service/" + SERVICE_ID + "/purge_all");
		assertThat(this.api.requests().get(1).header("Fastly-Soft-Purge")).as("purge-all is never soft").isEmpty();
	}

	@Test
	void rateLimitedPurgesWaitForRetryAfter() {
		FastlyPurger purger = purger(false);
		EdgePurger.Purge purge = new EdgePurger.Purge(FakeEdgeApi.tokens(2), Set.of());
		this.api.answerNext(new Answer(429, Map.of("Retry-After", "30"), "{\"msg\":\"Too Many Requests\"}"));
		assertThatExceptionOfType(EdgePurger.PurgeException.class).isThrownBy(() -> purger.purge(purge))
			.withMessageContaining("429");
		this.clock.advance(Duration.ofSeconds(29));
		assertThatExceptionOfType(EdgePurger.PurgeException.class).isThrownBy(() -> purger.purge(purge))
			.withMessageContaining("limits the rate");
		assertThat(this.api.requests()).hasSize(1);
		this.clock.advance(Duration.ofSeconds(1));
		purger.purge(purge);
		assertThat(this.api.requests()).hasSize(2);
	}

	@Test
	void rejectedTokenFailsNamingTheProperty() {
		FastlyPurger purger = new FastlyPurger(this.api.url(), SERVICE_ID, "wrong",
				URI.create("https://www.example.com"), true, false,
				new EdgeHttp("Fastly", Duration.ofSeconds(5), this.clock));
		assertThatExceptionOfType(EdgePurger.PurgeException.class)
			.isThrownBy(() -> purger.purge(new EdgePurger.Purge(FakeEdgeApi.tokens(1), Set.of())))
			.withMessageContaining("401")
			.withMessageContaining("pagecache.edge.fastly.api-token");
	}

	@Test
	void serverErrorsAndAnUnreachableApiAreRetryableFailures() {
		this.api.answerNext(Answer.json(503, "{\"msg\":\"Service Unavailable\"}"));
		assertThatExceptionOfType(EdgePurger.PurgeException.class)
			.isThrownBy(() -> purger(false).purge(new EdgePurger.Purge(FakeEdgeApi.tokens(1), Set.of())))
			.withMessageContaining("503");
		String url = this.api.url();
		this.api.close();
		FastlyPurger unreachable = new FastlyPurger(url, SERVICE_ID, TOKEN, URI.create("https://www.example.com"), true,
				false, new EdgeHttp("Fastly", Duration.ofSeconds(5), this.clock));
		assertThatExceptionOfType(EdgePurger.PurgeException.class)
			.isThrownBy(() -> unreachable.purge(new EdgePurger.Purge(FakeEdgeApi.tokens(1), Set.of())))
			.withMessageContaining(url);
	}

	private FastlyPurger purger(boolean softPurge) {
		return purger(true, softPurge);
	}

	private FastlyPurger purger(boolean byKeys, boolean softPurge) {
		return new FastlyPurger(this.api.url(), SERVICE_ID, TOKEN, URI.create("https://www.example.com"), byKeys,
				softPurge, new EdgeHttp("Fastly", Duration.ofSeconds(5), this.clock));
	}

	/**
	 * Fastly's purge API as documented: POST, the token in Fastly-Key, a batch of 1 to
	 * 256 surrogate keys as JSON at /service/{id}/purge, single URLs at /purge/{url},
	 * purge-all (never soft) at /service/{id}/purge_all.
	 */
	private static Answer fastly(Request request) {
		if (!request.method().equals("POST")) {
			return Answer.json(405, "{\"msg\":\"Method not allowed\"}");
		}
		if (!TOKEN.equals(request.header("Fastly-Key"))) {
			return Answer.json(401, "{\"msg\":\"Provided credentials are missing or invalid\"}");
		}
		if (request.target().equals("/service/" + SERVICE_ID + "/purge")) {
			if (!request.header("Content-Type").startsWith("application/json")) {
				return Answer.json(415, "{\"msg\":\"Unsupported media type\"}");
			}
			List<String> keys = JsonPath.read(request.body(), "$.surrogate_keys");
			if (keys.isEmpty() || keys.size() > 256) {
				return Answer.json(400, "{\"msg\":\"Between 1 and 256 surrogate keys\"}");
			}
			StringBuilder ids = new StringBuilder("{");
			keys.forEach(
					(key) -> ids.append((ids.length() > 1) ? "," : "").append('"').append(key).append("\":\"1-2\""));
			return Answer.json(200, ids.append('}').toString());
		}
		if (request.target().equals("/service/" + SERVICE_ID + "/purge_all")) {
			return request.header("Fastly-Soft-Purge").isEmpty() ? Answer.json(200, "{\"status\":\"ok\"}")
					: Answer.json(400, "{\"msg\":\"Purge all cannot be soft\"}");
		}
		if (request.target().startsWith("/purge/www.example.com/") && request.body().isEmpty()) {
			return Answer.json(200, "{\"status\":\"ok\",\"id\":\"108-1391560174-974124\"}");
		}
		return Answer.json(404, "{\"msg\":\"Record not found\"}");
	}

}
