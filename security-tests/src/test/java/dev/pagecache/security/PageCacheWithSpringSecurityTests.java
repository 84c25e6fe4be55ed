package dev.pagecache.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.security.SecuredPageApplication.ReportsGate;
import dev.pagecache.security.SecuredPageApplication.SecuredPageController;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page cache behind Spring Security, over real HTTP with a real Redis: hits still
 * pass Security's filter chain (authorization, security headers), Security's default
 * {@code no-store} does not switch caching off, and authenticated requests never read nor
 * write the cache. A page cached while an access rule allowed it is refused once the rule
 * refuses: that test fails when the page cache runs before Security
 * ({@code pagecache.filter.order=-200} with
 * {@code pagecache.filter.before-security=true}). Each test clears the cache first, which
 * would render the hot pages of the tests before it again (refresh-ahead warms after a
 * clear): that warming is off here, as it is not what these tests count.
 */
@SpringBootTest(classes = SecuredPageApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.refresh-ahead.warm-on-clear=false")
@WithRedisServer
class PageCacheWithSpringSecurityTests {

	static RedisServerProcess redis;

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	SecuredPageController controller;

	@Autowired
	PageCache pageCache;

	@Autowired
	ReportsGate reportsGate;

	@BeforeEach
	void clear() {
		this.pageCache.clear();
		this.controller.articleRenders.set(0);
		this.controller.memberRenders.set(0);
	}

	@Test
	void publicPageIsAMissThenAHitWithTheSameBytesAndOneRender() {
		HttpResponse<byte[]> first = get("/articles/1");
		HttpResponse<byte[]> second = get("/articles/1");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(result(first)).isEqualTo("MISS");
		assertThat(result(second)).isEqualTo("HIT");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(this.controller.articleRenders).hasValue(1);
	}

	@Test
	void securityDoesNotTurnCachingOffAndItsHeadersAreOnHits() {
		get("/articles/2");
		HttpResponse<byte[]> hit = get("/articles/2");
		assertThat(result(hit)).isEqualTo("HIT");
		assertThat(hit.headers().allValues("Cache-Control")).containsExactly("no-cache");
		assertThat(hit.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
		assertThat(hit.headers().allValues("X-Frame-Options")).containsExactly("DENY");
		assertThat(hit.headers().firstValue("Set-Cookie")).isEmpty();
	}

	@Test
	void headAndIfNoneMatchAreAnsweredFromTheEntry() {
		HttpResponse<byte[]> first = get("/articles/3");
		HttpResponse<byte[]> head = send("HEAD", "/articles/3");
		assertThat(result(head)).isEqualTo("HIT");
		assertThat(head.body()).isEmpty();
		String etag = first.headers().firstValue("ETag").orElseThrow();
		HttpResponse<byte[]> notModified = get("/articles/3", "If-None-Match", etag);
		assertThat(notModified.statusCode()).isEqualTo(304);
		assertThat(this.controller.articleRenders).hasValue(1);
	}

	@Test
	void handlerWithoutCachePageIsNotCached() {
		get("/plain");
		HttpResponse<byte[]> second = get("/plain");
		assertThat(new String(second.body())).isEqualTo("plain " + this.controller.plainCalls.get());
		assertThat(second.headers().firstValue("X-Page-Cache")).isEmpty();
	}

	@Test
	void cachedMembersPageIsNeverServedToAnAnonymousRequest() {
		String basic = "Basic cmVhZGVyOnNlY3JldA==";
		HttpResponse<byte[]> member = get("/members/1", "Authorization", basic);
		assertThat(member.statusCode()).isEqualTo(200);
		assertThat(result(member)).isEqualTo("BYPASS");
		HttpResponse<byte[]> anonymous = get("/members/1");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(result(anonymous)).isNotEqualTo("HIT");
		assertThat(this.pageCache.pagesTagged("path:/members/1")).isEmpty();
	}

	@Test
	void cachedPageIsNeverServedToARequestSecurityRefuses() {
		this.reportsGate.open = true;
		try {
			get("/reports/1");
			assertThat(result(get("/reports/1"))).isEqualTo("HIT");
			this.reportsGate.open = false;
			HttpResponse<byte[]> refused = get("/reports/1");
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(result(refused)).isNotEqualTo("HIT");
		}
		finally {
			this.reportsGate.open = true;
		}
	}

	@Test
	void authenticatedRequestsNeitherReadNorWriteTheCache() {
		get("/articles/4");
		HttpResponse<byte[]> authenticated = get("/articles/4", "Authorization", "Basic cmVhZGVyOnNlY3JldA==");
		assertThat(result(authenticated)).isEqualTo("BYPASS");
		assertThat(this.controller.articleRenders).hasValue(2);
	}

	private HttpResponse<byte[]> get(String path, String... headers) {
		return send("GET", path, headers);
	}

	private HttpResponse<byte[]> send(String method, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String result(HttpResponse<?> response) {
		return response.headers().firstValue("X-Page-Cache").orElse("none");
	}

}
