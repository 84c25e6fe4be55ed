package dev.pagecache.jpa;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What a transaction's outcome does to the cache: a rollback invalidates nothing and
 * leaves no stale page (DESIGN F3), and a commit succeeds while the store is unreachable,
 * after which no stale page is served once it is back (F4). The test owns its Redis
 * server, which it suspends.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.namespace=outcome", "pagecache.redis.timeout=100ms" })
@WithRedisServer
@ExpectedLogs(value = { "dev.pagecache.jpa.HibernatePageCacheIntegration", "org.hibernate.orm.session" },
		because = "Redis is suspended while transactions commit")
class TransactionOutcomeTests {

	static RedisServerProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	BlogService blog;

	@Autowired
	PageCache pageCache;

	@Autowired
	PageStore store;

	Fixture fixture;

	BlogPages pages;

	@BeforeEach
	void warmEveryPage() {
		this.fixture = this.blog.reset();
		this.pageCache.clear();
		this.pages = new BlogPages(this.port, this.fixture);
		this.pages.warm(this.pages.all());
		recorder().reset();
	}

	@AfterEach
	void resumeRedis() {
		redis.resume();
	}

	@Test
	void rolledBackWriteInvalidatesNothingAndLeavesNoStalePage() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.blog.commentAndRetitleThenFail(this.fixture.post(2), "never committed", "Never"));
		assertThat(recorder().invalidations()).isEmpty();
		assertThat(this.pages.misses(this.pages.all())).isEmpty();
		assertThat(this.pages.body(this.pages.post(2))).contains("Second").doesNotContain("never committed");
		// the next commit on the same thread still refreshes what it changes
		this.blog.addComment(this.fixture.post(2), "committed");
		assertThat(recorder().invalidations()).hasSize(1);
		assertThat(this.pages.body(this.pages.post(2))).contains("committed");
		assertThat(this.pages.body(this.pages.home())).contains("| Second | 2 comments");
	}

	@Test
	void commitSucceedsWhileTheStoreIsDownAndNoStalePageIsServedWhenItIsBack() {
		redis.pause();
		Instant start = Instant.now();
		this.blog.retitle(this.fixture.post(1), "First, while Redis was down");
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
		redis.resume();
		Instant deadline = Instant.now().plusSeconds(30);
		boolean cachedAgain = false;
		while (!cachedAgain && Instant.now().isBefore(deadline)) {
			for (String path : List.of(this.pages.post(1), this.pages.java())) {
				var response = this.pages.get(path);
				assertThat(new String(response.body())).as(path).contains("First, while Redis was down");
				cachedAgain = "HIT".equals(TestHttp.cacheResult(response));
			}
		}
		assertThat(cachedAgain).as("caching resumed").isTrue();
	}

	private RecordingPageStore recorder() {
		return (RecordingPageStore) this.store;
	}

}
