package dev.pagecache.jpa;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race of DESIGN F2, reproduced step by step with latches: a render reads post 1,
 * then, before its page is stored, a write of post 1 commits and invalidates; then the
 * render tries to store its page. The store must refuse it, so that a request made after
 * the write returned does not get the old title. The same interleaving with the guard
 * switched off stores the stale page, which shows that the test sees the race.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=blog")
@WithRedisServer(shared = true)
class RenderRaceTests {

	private static final String OLD_TITLE = "<h1 id=\"title\">First</h1>";

	private static final String NEW_TITLE = "<h1 id=\"title\">First, edited</h1>";

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

	final ExecutorService executor = Executors.newSingleThreadExecutor();

	@BeforeEach
	void setUp() {
		this.fixture = this.blog.reset();
		this.pageCache.clear();
		recorder().reset();
		this.pages = new BlogPages(this.port, this.fixture);
	}

	@AfterEach
	void tearDown() {
		recorder().reset();
		this.executor.shutdownNow();
	}

	@Test
	void pageRenderedFromDataReadBeforeACommittedWriteIsNotStored() throws Exception {
		String racing = renderRacingAWrite();
		assertThat(racing).as("the racing render read the old data").contains(OLD_TITLE);
		assertThat(recorder().refused()).isEqualTo(1);
		HttpResponse<byte[]> after = this.pages.get(this.pages.post(1));
		assertThat(TestHttp.cacheResult(after)).isEqualTo("MISS");
		assertThat(body(after)).contains(NEW_TITLE);
		assertThat(TestHttp.cacheResult(this.pages.get(this.pages.post(1)))).isEqualTo("HIT");
	}

	@Test
	void withoutTheGuardTheSameInterleavingServesAStalePage() throws Exception {
		recorder().setGuarded(false);
		String racing = renderRacingAWrite();
		assertThat(racing).contains(OLD_TITLE);
		assertThat(recorder().stored()).isEqualTo(1);
		HttpResponse<byte[]> after = this.pages.get(this.pages.post(1));
		assertThat(TestHttp.cacheResult(after)).isEqualTo("HIT");
		assertThat(body(after)).as("stale: started after the write returned, shows the old title").contains(OLD_TITLE);
	}

	/**
	 * Request post 1; hold its render after it has read everything and before its page is
	 * stored; retitle post 1 (commit and invalidation) meanwhile; then let the render
	 * store its page.
	 * @return the racing render's body
	 */
	private String renderRacingAWrite() throws Exception {
		CountDownLatch rendered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		String path = this.pages.post(1);
		recorder().setBeforePut((key) -> {
			if (key.endsWith(path)) {
				rendered.countDown();
				await(release);
			}
		});
		Future<HttpResponse<byte[]>> racing = this.executor.submit(() -> this.pages.get(path));
		assertThat(rendered.await(30, TimeUnit.SECONDS)).as("render reached the store").isTrue();
		this.blog.retitle(this.fixture.post(1), "First, edited");
		assertThat(recorder().invalidations()).as("invalidated before the write returned").hasSize(1);
		release.countDown();
		return body(racing.get(30, TimeUnit.SECONDS));
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String body(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

	private RecordingPageStore recorder() {
		return (RecordingPageStore) this.store;
	}

}
