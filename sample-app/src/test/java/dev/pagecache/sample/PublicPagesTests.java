package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.pagecache.CachePage;
import dev.pagecache.test.TestHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anonymous readers get pages, never a session or a cookie: a page that made one could
 * not be cached.
 *
 * @author pagecache
 */
@BlogTest
class PublicPagesTests {

	/** One URL for each {@code @CachePage} route. */
	private static final Map<String, String> PUBLIC_PAGES = Map.of("/", "/", "/posts/{id}", "/posts/1",
			"/categories/{slug}", "/categories/books", "/authors/{id}", "/authors/1");

	@LocalServerPort
	private int port;

	@Autowired
	private SessionCounter sessions;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping handlerMapping;

	private TestHttp<String> http;

	@BeforeEach
	void createClient() {
		this.http = TestHttp.text(this.port);
	}

	static Collection<String> publicPages() {
		return PUBLIC_PAGES.values();
	}

	@ParameterizedTest
	@MethodSource("publicPages")
	void anonymousGetSetsNoCookieAndCreatesNoSession(String path) {
		int sessionsBefore = this.sessions.created();
		// the first request may render the page, the second may be served from the cache
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> response = this.http.get(path);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
		assertThat(this.sessions.created()).isEqualTo(sessionsBefore);
	}

	/**
	 * The blog's security chain holds only Spring Security's own filters, so hits of
	 * public pages are served before it: Security's filter-chain observations do not
	 * count them.
	 */
	@Test
	void publicPageHitsAreServedBeforeSpringSecurity() throws InterruptedException {
		this.http.get("/authors/2");
		assertThat(TestHttp.cacheResult(this.http.get("/authors/2"))).isEqualTo("HIT");
		long before = settledSecurityChainRuns();
		assertThat(before).as("Spring Security's chain observations are recorded").isPositive();
		assertThat(TestHttp.cacheResult(this.http.get("/authors/2"))).isEqualTo("HIT");
		assertThat(settledSecurityChainRuns()).isEqualTo(before);
		this.http.get("/login");
		assertThat(settledSecurityChainRuns()).as("a page that is not cached passes the chain").isGreaterThan(before);
	}

	/**
	 * Security's filter-chain observations so far, once the last response's have ended.
	 */
	private long settledSecurityChainRuns() throws InterruptedException {
		long runs = securityChainRuns();
		for (int i = 0; i < 50; i++) {
			Thread.sleep(20);
			long now = securityChainRuns();
			if (now == runs) {
				return runs;
			}
			runs = now;
		}
		return runs;
	}

	private long securityChainRuns() {
		return this.meters.find("spring.security.filterchains").timers().stream().mapToLong(Timer::count).sum();
	}

	@Test
	void everyCachedRouteIsCoveredByTheNoSessionTest() {
		Set<String> cachedRoutes = this.handlerMapping.getHandlerMethods()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().hasMethodAnnotation(CachePage.class)
					|| entry.getValue().getBeanType().isAnnotationPresent(CachePage.class))
			.flatMap((entry) -> entry.getKey().getPatternValues().stream())
			.collect(Collectors.toSet());
		assertThat(cachedRoutes).isEqualTo(PUBLIC_PAGES.keySet());
	}

	@ParameterizedTest
	@ValueSource(strings = { "/posts/999999", "/categories/no-such-category", "/authors/999999", "/no-such-page" })
	void notFoundPagesSetNoCookieAndCreateNoSession(String path) {
		int sessionsBefore = this.sessions.created();
		HttpResponse<String> response = this.http.get(path);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.sessions.created()).isEqualTo(sessionsBefore);
	}

	@Test
	void commentFormCarriesNoCsrfTokenAndPostsToTheCommentEndpoint() {
		String page = this.http.get("/posts/2").body();
		assertThat(page).contains("<form class=\"comment-form\" method=\"post\" action=\"/posts/2/comments\">")
			.doesNotContain("_csrf");
	}

	@Test
	void postingACommentCreatesNoSession() {
		int sessionsBefore = this.sessions.created();
		HttpResponse<String> valid = this.http.postForm("/posts/2/comments",
				TestHttp.fields("author", "Nell", "body", "No cookie for me, thanks."), "Origin", this.http.origin(),
				"Sec-Fetch-Site", "same-origin");
		HttpResponse<String> invalid = this.http.postForm("/posts/2/comments",
				TestHttp.fields("author", "", "body", ""), "Origin", this.http.origin(), "Sec-Fetch-Site",
				"same-origin");
		assertThat(valid.statusCode()).isEqualTo(303);
		assertThat(invalid.statusCode()).isEqualTo(422);
		// the "published" message travels in a flash cookie of its own, not in a session
		assertThat(valid.headers().allValues("Set-Cookie")).singleElement()
			.satisfies((cookie) -> assertThat(cookie).startsWith(CookieFlashMapManager.COOKIE + "="));
		assertThat(invalid.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.sessions.created()).isEqualTo(sessionsBefore);
	}

	@Test
	void healthEndpointIsUpForAnyone() {
		HttpResponse<String> response = this.http.get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void stylesheetIsServed() {
		HttpResponse<String> response = this.http.get("/css/blog.css");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/css"));
	}

}
