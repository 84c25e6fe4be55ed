package dev.pagecache.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;
import dev.pagecache.testapp.PageController;
import dev.pagecache.testapp.PageTestApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page cache over real HTTP, with a real Tomcat, Thymeleaf and a real Redis server.
 */
@SpringBootTest(classes = PageTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.max-entry-size=16KB", "pagecache.credentials.headers=X-Api-Key" })
@WithRedisServer
class PageCacheHttpTests {

	static RedisServerProcess redis;

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
	void secondRequestIsAHitWithTheSameBytesAndTheControllerRunsOnce() {
		HttpResponse<byte[]> first = this.http.get("/articles/1");
		HttpResponse<byte[]> second = this.http.get("/articles/1");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(cacheResult(first)).isEqualTo("MISS");
		assertThat(cacheResult(second)).isEqualTo("HIT");
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(second.headers().firstValue("Age")).isPresent();
		assertThat(second.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
		assertThat(this.controller.calls("article")).isEqualTo(1);
	}

	@Test
	void redisStoresTheEntryWithATimeToLive() {
		this.http.get("/articles/1");
		assertThat(redis.command("DBSIZE")).isNotEqualTo(":0");
		assertThat(this.pageCache.pagesTagged("Article#1")).singleElement()
			.satisfies((key) -> assertThat(key).startsWith("GET http://").endsWith("/articles/1"));
	}

	@Test
	void hitOfAClientThatAcceptsGzipIsTheStoredCompressedBody() throws IOException {
		byte[] identity = this.http.get("/articles/2").body();
		HttpResponse<byte[]> gzipped = this.http.get("/articles/2", "Accept-Encoding", "gzip, deflate");
		assertThat(cacheResult(gzipped)).isEqualTo("HIT");
		assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(gzipped.headers().allValues("Vary")).anyMatch((vary) -> vary.contains("Accept-Encoding"));
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
			assertThat(in.readAllBytes()).isEqualTo(identity);
		}
	}

	@Test
	void missOfAClientThatAcceptsGzipIsTheBodyTheHitsWillSend() throws IOException {
		HttpResponse<byte[]> miss = this.http.get("/articles/6", "Accept-Encoding", "gzip");
		HttpResponse<byte[]> hit = this.http.get("/articles/6", "Accept-Encoding", "gzip");
		assertThat(cacheResult(miss)).isEqualTo("MISS");
		assertThat(cacheResult(hit)).isEqualTo("HIT");
		assertThat(miss.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(miss.headers().allValues("Vary")).anyMatch((vary) -> vary.contains("Accept-Encoding"));
		assertThat(miss.headers().firstValue("ETag")).isEqualTo(hit.headers().firstValue("ETag"));
		assertThat(miss.headers().firstValueAsLong("Content-Length")).hasValue(miss.body().length);
		assertThat(miss.body()).isEqualTo(hit.body());
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(miss.body()))) {
			assertThat(in.readAllBytes()).isEqualTo(this.http.get("/articles/6").body());
		}
	}

	@Test
	void missOfAClientThatDoesNotAcceptGzipIsTheRenderedBody() {
		HttpResponse<byte[]> miss = this.http.get("/articles/7", "Accept-Encoding", "gzip;q=0, identity");
		HttpResponse<byte[]> hit = this.http.get("/articles/7");
		assertThat(cacheResult(miss)).isEqualTo("MISS");
		assertThat(miss.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(miss.headers().firstValue("ETag")).isEqualTo(hit.headers().firstValue("ETag"));
		assertThat(miss.body()).isEqualTo(hit.body());
	}

	@Test
	void headIsAnsweredFromTheGetEntryWithoutABody() {
		HttpResponse<byte[]> get = this.http.get("/articles/3");
		HttpResponse<byte[]> head = this.http.head("/articles/3");
		assertThat(cacheResult(head)).isEqualTo("HIT");
		assertThat(head.body()).isEmpty();
		assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
		assertThat(this.controller.calls("article")).isEqualTo(1);
	}

	@Test
	void headOnAMissIsNotStored() {
		this.http.head("/articles/4");
		assertThat(cacheResult(this.http.get("/articles/4"))).isEqualTo("MISS");
	}

	@Test
	void ifNoneMatchWithTheEntryEtagIsAnsweredWith304() {
		String etag = this.http.get("/articles/5").headers().firstValue("ETag").orElseThrow();
		HttpResponse<byte[]> revalidated = this.http.get("/articles/5", "If-None-Match", etag);
		assertThat(revalidated.statusCode()).isEqualTo(304);
		assertThat(revalidated.body()).isEmpty();
		assertThat(revalidated.headers().firstValue("ETag")).hasValue(etag);
		HttpResponse<byte[]> otherEtag = this.http.get("/articles/5", "If-None-Match", "\"other\"");
		assertThat(otherEtag.statusCode()).isEqualTo(200);
		assertThat(this.controller.calls("article")).isEqualTo(1);
	}

	@Test
	void cachedPagesAskBrowsersToRevalidate() {
		assertThat(this.http.get("/articles/6").headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(this.http.get("/articles/6").headers().firstValue("Cache-Control")).hasValue("no-cache");
	}

	@Test
	void handlerWithoutCachePageIsNeverLookedUpNorStored() {
		long lookups = commandCalls("mget");
		String keys = redis.command("DBSIZE");
		this.http.get("/plain");
		HttpResponse<byte[]> second = this.http.get("/plain");
		assertThat(second.body()).asString().isEqualTo("plain 2");
		assertThat(second.headers().firstValue("X-Page-Cache")).isEmpty();
		assertThat(commandCalls("mget")).isEqualTo(lookups);
		assertThat(redis.command("DBSIZE")).isEqualTo(keys);
	}

	@Test
	void moreSpecificUncachedRouteIsNotTreatedAsAPage() {
		long lookups = commandCalls("mget");
		this.http.get("/articles/new");
		this.http.get("/articles/new");
		assertThat(this.controller.calls("newArticleForm")).isEqualTo(2);
		assertThat(commandCalls("mget")).isEqualTo(lookups);
	}

	@Test
	void unkeyedQueryParametersShareTheEntryAndAreHiddenFromTheHandler() {
		HttpResponse<byte[]> first = this.http.get("/articles/7?utm_source=mail");
		HttpResponse<byte[]> second = this.http.get("/articles/7?utm_source=ads&fbclid=1");
		assertThat(cacheResult(second)).isEqualTo("HIT");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(cacheResult(this.http.get("/articles/7?page=2"))).isEqualTo("MISS");
		assertThat(cacheResult(this.http.get("/articles/7?page=2&utm=x"))).isEqualTo("HIT");
	}

	@Test
	void invalidatingATagOrAPathDropsThePage() {
		this.http.get("/articles/8");
		this.http.get("/articles/9");
		this.pageCache.invalidateTags("Article#8");
		assertThat(cacheResult(this.http.get("/articles/8"))).isEqualTo("MISS");
		assertThat(cacheResult(this.http.get("/articles/9"))).isEqualTo("HIT");
		this.pageCache.invalidatePath("/articles/9");
		assertThat(cacheResult(this.http.get("/articles/9"))).isEqualTo("MISS");
		this.pageCache.clear();
		assertThat(cacheResult(this.http.get("/articles/8"))).isEqualTo("MISS");
	}

	private static long commandCalls(String command) {
		String stats = redis.command("INFO", "commandstats");
		for (String line : stats.split("\r\n")) {
			if (line.startsWith("cmdstat_" + command + ":calls=")) {
				return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return 0;
	}

}
