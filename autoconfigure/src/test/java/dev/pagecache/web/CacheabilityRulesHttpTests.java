package dev.pagecache.web;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.TestHttp;
import dev.pagecache.testapp.PageController;
import dev.pagecache.testapp.PageTestApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per cacheability rule (DESIGN S1 and section 6), over HTTP, with the in-memory
 * store.
 */
@SpringBootTest(classes = PageTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "pagecache.max-entry-size=16KB",
				"pagecache.credentials.headers=X-Api-Key" })
@ExpectedLogs(value = "org.apache.catalina.core.ContainerBase", because = "a handler throws")
class CacheabilityRulesHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	PageController controller;

	@Autowired
	PageCache pageCache;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
		this.pageCache.clear();
		this.controller.reset();
	}

	@Test
	void authorizationHeaderBypasses() {
		assertCredentialBypasses("Authorization", "Basic dXNlcjpwYXNz");
	}

	@Test
	void proxyAuthorizationHeaderBypasses() {
		assertCredentialBypasses("Proxy-Authorization", "Basic dXNlcjpwYXNz");
	}

	@Test
	void sessionCookieBypasses() {
		assertCredentialBypasses("Cookie", "JSESSIONID=0123456789ABCDEF");
	}

	@Test
	void rememberMeCookieBypasses() {
		assertCredentialBypasses("Cookie", "remember-me=abc");
	}

	@Test
	void configuredCredentialHeaderBypasses() {
		assertCredentialBypasses("X-Api-Key", "secret");
	}

	@Test
	void analyticsCookieDoesNotBypass() {
		this.http.get("/articles/1");
		HttpResponse<byte[]> withAnalytics = this.http.get("/articles/1", "Cookie", "_ga=GA1.2.3; _gid=GA1.4.5");
		assertThat(cacheResult(withAnalytics)).isEqualTo("HIT");
	}

	@Test
	void rangeRequestBypasses() {
		assertCredentialBypasses("Range", "bytes=0-10");
	}

	@Test
	void responseThatSetsACookieIsNotStored() {
		assertNeverStored("/cookie", "cookie");
	}

	@Test
	void responseThatCreatesASessionIsNotStored() {
		assertNeverStored("/session", "session");
	}

	@Test
	void privateResponseIsNotStored() {
		assertNeverStored("/private?directive=private", "private");
	}

	@Test
	void noStoreResponseIsNotStored() {
		assertNeverStored("/private?directive=no-store", "private");
	}

	@Test
	void publicResponseOfTheSameHandlerIsStored() {
		this.http.get("/private?directive=public");
		assertThat(cacheResult(this.http.get("/private?directive=public"))).isEqualTo("HIT");
	}

	@Test
	void non200ResponseIsNotStored() {
		HttpResponse<byte[]> response = this.http.get("/missing");
		assertThat(response.statusCode()).isEqualTo(404);
		assertNeverStored("/missing", "missing");
	}

	@Test
	void failingHandlerIsNotStored() {
		HttpResponse<byte[]> response = this.http.get("/failing");
		assertThat(response.statusCode()).isEqualTo(500);
		this.http.get("/failing");
		assertThat(this.controller.calls("failing")).isEqualTo(2);
	}

	@Test
	void responseOverTheSizeLimitStreamsThroughAndIsNotStored() {
		HttpResponse<byte[]> large = this.http.get("/large?size=40000");
		assertThat(large.statusCode()).isEqualTo(200);
		assertThat(large.body()).hasSize(40000);
		assertNeverStored("/large?size=40000", "large");
	}

	@Test
	void responseUnderTheSizeLimitIsStored() {
		this.http.get("/large?size=4000");
		HttpResponse<byte[]> second = this.http.get("/large?size=4000");
		assertThat(cacheResult(second)).isEqualTo("HIT");
		assertThat(second.body()).hasSize(4000);
	}

	@Test
	void nonCanonicalPathBypasses() {
		HttpResponse<byte[]> matrix = this.http.get("/articles/1;x=y");
		assertThat(cacheResult(matrix)).isIn("BYPASS", "none");
		this.http.get("/articles/1;x=y");
		assertThat(cacheResult(this.http.get("/articles/1"))).isEqualTo("MISS");
	}

	private void assertCredentialBypasses(String header, String value) {
		this.http.get("/articles/1");
		assertThat(this.http.raw().get("/articles/1", header + ": " + value).cacheResult()).isEqualTo("BYPASS");
		assertThat(this.controller.calls("article")).isEqualTo(2);
		this.pageCache.clear();
		this.http.raw().get("/articles/2", header + ": " + value);
		assertThat(cacheResult(this.http.get("/articles/2"))).isEqualTo("MISS");
	}

	private void assertNeverStored(String path, String handler) {
		int before = this.controller.calls(handler);
		HttpResponse<byte[]> first = this.http.get(path);
		HttpResponse<byte[]> second = this.http.get(path);
		assertThat(cacheResult(second)).isNotEqualTo("HIT");
		assertThat(this.controller.calls(handler)).isEqualTo(before + 2);
		assertThat(first.statusCode()).isEqualTo(second.statusCode());
	}

}
