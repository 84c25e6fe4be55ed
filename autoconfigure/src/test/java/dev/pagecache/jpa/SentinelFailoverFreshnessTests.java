package dev.pagecache.jpa;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisSentinelGroup;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog on a Redis primary with one replica and three Sentinels: a write that returned
 * before a failover shows on every page read after it, whatever the replica had received
 * when the primary died (invariant F3, issue 15).
 * <p>
 * Each round makes every page a hit and waits until the replica has the entries, posts a
 * comment, kills the primary, and reads every page once the replica is promoted and the
 * application talks to it, until each page is a hit again. Every page read is compared
 * with a render that bypasses the cache (a request with credentials) sent right after it;
 * as nothing is written meanwhile, a page that differs misses a write that returned
 * before it was asked for: a stale read. Requests sent while there is no primary are
 * checked the same way and must be answered as the application answers without a cache.
 * Scenario 1 of the issue cuts the replica's link before the comment, so that the primary
 * acknowledges an invalidation the replica never receives; the plain variant just kills
 * the primary after the comment. Each runs with the near cache off and on, on one
 * Sentinel group whose old primary comes back as the replica after each failover.
 */
@ExpectedLogs(value = "dev.pagecache.web.PageCacheFilter", because = "the Redis primary is killed in every round")
class SentinelFailoverFreshnessTests {

	private static final int CUT_LINK_ROUNDS = 10;

	private static final int PLAIN_KILL_ROUNDS = 5;

	private static final Duration CACHING_RESUMES_WITHIN = Duration.ofSeconds(10);

	private static final Duration RECONNECT_TIMEOUT = Duration.ofSeconds(30);

	/** Credentials make a request bypass the cache (S1); the blog ignores them. */
	private static final String[] CREDENTIALS = { "Authorization", "Basic ZmFpbG92ZXI6ZmFpbG92ZXI=" };

	static RedisSentinelGroup redis;

	static final Map<Boolean, Blog> blogs = new HashMap<>();

	@BeforeAll
	static void startRedis() {
		redis = RedisSentinelGroup.start();
	}

	@AfterAll
	static void stopEverything() {
		blogs.values().forEach((blog) -> blog.context().close());
		blogs.clear();
		if (redis != null) {
			redis.close();
		}
	}

	@ParameterizedTest(name = "near cache enabled: {0}")
	@ValueSource(booleans = { false, true })
	void commentPostedWhileTheReplicaIsCutOffShowsOnEveryPageAfterTheFailover(boolean nearCache) {
		failOver(nearCache, CUT_LINK_ROUNDS, true).assertFreshAndCachingAgain();
	}

	@ParameterizedTest(name = "near cache enabled: {0}")
	@ValueSource(booleans = { false, true })
	void commentPostedJustBeforeThePrimaryDiesShowsOnEveryPageAfterTheFailover(boolean nearCache) {
		failOver(nearCache, PLAIN_KILL_ROUNDS, false).assertFreshAndCachingAgain();
	}

	private static Tally failOver(boolean nearCache, int rounds, boolean cutReplicaLink) {
		Blog blog = blog(nearCache);
		Tally tally = new Tally();
		BlogPages blogPages = startAfresh(blog);
		List<String> pages = blogPages.all();
		for (int round = 1; round <= rounds; round++) {
			redis.restoreReplica();
			awaitConnectedToPrimary(blog);
			blogPages.warm(pages);
			redis.awaitReplicaInSync();
			if (cutReplicaLink) {
				redis.cutReplicaLink();
			}
			int post = (round - 1) % 4 + 1;
			String text = "comment of round " + round + " on post " + post;
			comment(blog, blogPages.post(post), text);
			long killed = System.nanoTime();
			redis.killPrimary();
			redis.resumeReplica();
			WindowReader window = new WindowReader(blog, pages, tally, new Random(round));
			window.start();
			try {
				redis.awaitPromotion();
				tally.promoted(System.nanoTime() - killed);
				awaitConnectedToPrimary(blog);
			}
			finally {
				window.finish();
			}
			tally.reconnected(System.nanoTime() - killed);
			assertThat(blog.http().get(blogPages.post(post), CREDENTIALS).body()).as("post %d past the cache", post)
				.contains(text);
			for (String page : pages) {
				readUntilHit(blog, page, tally);
			}
		}
		tally.print((cutReplicaLink ? "replica cut off" : "plain kill") + ", near cache " + (nearCache ? "on" : "off"));
		return tally;
	}

	/**
	 * The blog's fixture and an empty cache, so that a test does not inherit pages that
	 * another one left stale.
	 */
	private static BlogPages startAfresh(Blog blog) {
		redis.restoreReplica();
		awaitConnectedToPrimary(blog);
		Fixture fixture = blog.context().getBean(BlogService.class).reset();
		blog.context().getBean(PageCache.class).clear();
		return new BlogPages(blog.port(), fixture);
	}

	private static void comment(Blog blog, String post, String text) {
		HttpResponse<String> response = blog.http().postForm(post + "/comments", TestHttp.fields("text", text));
		assertThat(response.statusCode()).as("posting a comment").isEqualTo(200);
		assertThat(response.body()).startsWith("comment ");
	}

	/**
	 * Read a page until it is a hit, as it is again soon after the failover when caching
	 * resumes.
	 */
	private static void readUntilHit(Blog blog, String page, Tally tally) {
		long deadline = System.nanoTime() + CACHING_RESUMES_WITHIN.toNanos();
		while (true) {
			Read read = read(blog, page);
			tally.afterFailover(read);
			if (read.hit()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				tally.neverHitAgain(page);
				return;
			}
			sleep(50);
		}
	}

	/**
	 * Ask for a page, then for the same page past the cache.
	 */
	private static Read read(Blog blog, String page) {
		HttpResponse<String> response;
		try {
			response = blog.http().get(page);
		}
		catch (UncheckedIOException ex) {
			return new Read(page, 0, ex.toString(), "", "");
		}
		HttpResponse<String> uncached = blog.http().get(page, CREDENTIALS);
		assertThat(uncached.statusCode()).as("uncached " + page).isEqualTo(200);
		assertThat(TestHttp.cacheResult(uncached)).as("uncached " + page).isEqualTo("BYPASS");
		return new Read(page, response.statusCode(), TestHttp.cacheResult(response), response.body(), uncached.body());
	}

	/**
	 * Wait until the page store's own connection has found the current primary through
	 * the Sentinels, so that the reads that follow are answered by it rather than without
	 * Redis.
	 */
	private static void awaitConnectedToPrimary(Blog blog) {
		RedisServerProcess primary = redis.getPrimary();
		RedisConnectionFactory connectionFactory = blog.context()
			.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY, RedisConnectionFactory.class);
		long deadline = System.nanoTime() + RECONNECT_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try (RedisConnection connection = connectionFactory.getConnection()) {
				String port = connection.serverCommands().info("server").getProperty("tcp_port");
				if (Integer.toString(primary.getPort()).equals(port)) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// reconnecting
			}
			sleep(20);
		}
		throw new IllegalStateException("The page store did not reconnect to the primary on port " + primary.getPort()
				+ " within " + RECONNECT_TIMEOUT);
	}

	private static Blog blog(boolean nearCache) {
		return blogs.computeIfAbsent(nearCache, SentinelFailoverFreshnessTests::startBlog);
	}

	/**
	 * Start the blog without Hibernate's second-level cache: Hibernate would take the
	 * JCache region factory on the class path, and closing this application would close
	 * the JVM's JCache caches under the cached contexts of the second-level cache tests.
	 */
	private static Blog startBlog(boolean nearCache) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BlogTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off",
					"spring.datasource.url=jdbc:h2:mem:failover-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
					"spring.datasource.generate-unique-name=false", "spring.jpa.hibernate.ddl-auto=create",
					"spring.data.redis.sentinel.master=" + redis.getMasterName(),
					"spring.data.redis.sentinel.nodes=" + redis.getSentinelNodes(),
					"pagecache.redis.namespace=failover-near-cache-" + nearCache,
					"pagecache.redis.near-cache.enabled=" + nearCache,
					"spring.jpa.properties.hibernate.cache.use_second_level_cache=false")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return new Blog(context, port, TestHttp.text(port));
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	record Blog(ConfigurableApplicationContext context, int port, TestHttp<String> http) {

	}

	/**
	 * A page as the cache answered it, and as the application renders it past the cache.
	 */
	record Read(String page, int status, String cacheResult, String body, String uncachedBody) {

		boolean answered() {
			return this.status == 200;
		}

		boolean hit() {
			return "HIT".equals(this.cacheResult);
		}

		boolean stale() {
			return answered() && !this.body.equals(this.uncachedBody);
		}

		@Override
		public String toString() {
			return this.page + " (" + this.status + " " + this.cacheResult + "):\n" + this.body + "\nwhile it is:\n"
					+ this.uncachedBody;
		}

	}

	/**
	 * Reads pages at random from the kill of the primary until the application has
	 * reconnected to the new one, at a pace that leaves the machine's cores to Redis.
	 */
	private static final class WindowReader extends Thread {

		private volatile Throwable failure;

		private final Blog blog;

		private final List<String> pages;

		private final Tally tally;

		private final Random random;

		private final AtomicBoolean running = new AtomicBoolean(true);

		WindowReader(Blog blog, List<String> pages, Tally tally, Random random) {
			super("failover-window-reader");
			this.blog = blog;
			this.pages = pages;
			this.tally = tally;
			this.random = random;
		}

		@Override
		public void run() {
			try {
				while (this.running.get()) {
					this.tally.duringFailover(read(this.blog, this.pages.get(this.random.nextInt(this.pages.size()))));
					SentinelFailoverFreshnessTests.sleep(20);
				}
			}
			catch (Throwable ex) {
				this.failure = ex;
			}
		}

		/**
		 * Stop reading, and fail as the reader did if it did.
		 */
		void finish() {
			this.running.set(false);
			try {
				join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (this.failure != null) {
				throw new AssertionError("Reading during the failover failed", this.failure);
			}
		}

	}

	/**
	 * What the rounds of one test saw.
	 */
	private static final class Tally {

		private int rounds;

		private long promotionNanos;

		private long reconnectionNanos;

		private int readsAfter;

		private int hitsAfter;

		private int staleAfter;

		private int readsDuring;

		private int hitsDuring;

		private int staleDuring;

		private int unanswered;

		private final List<Read> examples = new ArrayList<>();

		private final List<String> neverHitAgain = new ArrayList<>();

		synchronized void promoted(long nanos) {
			this.rounds++;
			this.promotionNanos += nanos;
		}

		synchronized void reconnected(long nanos) {
			this.reconnectionNanos += nanos;
		}

		synchronized void afterFailover(Read read) {
			this.readsAfter++;
			this.hitsAfter += read.hit() ? 1 : 0;
			this.staleAfter += read.stale() ? 1 : 0;
			keepExample(read);
		}

		synchronized void duringFailover(Read read) {
			this.readsDuring++;
			this.hitsDuring += read.hit() ? 1 : 0;
			this.staleDuring += read.stale() ? 1 : 0;
			keepExample(read);
		}

		synchronized void neverHitAgain(String page) {
			this.neverHitAgain.add(page);
		}

		private void keepExample(Read read) {
			this.unanswered += read.answered() ? 0 : 1;
			if ((read.stale() || !read.answered()) && this.examples.size() < 3) {
				this.examples.add(read);
			}
		}

		synchronized void print(String variant) {
			System.out
				.printf("SentinelFailoverFreshnessTests (%s): %d rounds, promotion %.1f s and reconnection %.1f s after "
						+ "the kill on average; after the failovers %d reads, %d hits, %d stale, %d pages never a hit "
						+ "again; during the failovers %d reads, %d hits, %d stale, %d not answered%n", variant,
						this.rounds, this.promotionNanos / 1e9 / this.rounds,
						this.reconnectionNanos / 1e9 / this.rounds, this.readsAfter, this.hitsAfter, this.staleAfter,
						this.neverHitAgain.size(), this.readsDuring, this.hitsDuring, this.staleDuring,
						this.unanswered);
		}

		synchronized void assertFreshAndCachingAgain() {
			assertThat(this.staleAfter + this.staleDuring)
				.as("stale reads among %d after and %d during the failovers, the first of them: %s", this.readsAfter,
						this.readsDuring, this.examples)
				.isZero();
			assertThat(this.unanswered).as("requests not answered during the failovers: %s", this.examples).isZero();
			assertThat(this.neverHitAgain).as("pages not a hit again within %s of a failover", CACHING_RESUMES_WITHIN)
				.isEmpty();
			assertThat(this.hitsAfter).as("hits after the failovers").isPositive();
		}

	}

}
