package dev.pagecache.jpa;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog on a Redis whose memory is too small for its pages: readers and writers at
 * random over some 300 pages, judged by the {@link FreshnessChecker}. Whatever Redis
 * evicts under each {@code maxmemory-policy}, and whatever it refuses when it is full
 * under {@code noeviction}, a page is fresh or a miss, never a stale hit; the cache keeps
 * caching, the home page (read most) in particular.
 * <p>
 * Each test owns its Redis server and its application (with its own database). Replay
 * with {@code -Dpagecache.test.seed=<seed>} (thread interleavings still vary).
 */
class MemoryPressureFreshnessTests {

	/** Small enough that the blog's pages, indexes and records do not fit, by far. */
	private static final String EVICTING_MAXMEMORY = "2mb";

	private static final String FULL_MAXMEMORY = "4mb";

	/** Posts besides the fixture's four, so that there are more pages than fit. */
	private static final int EXTRA_POSTS = 300;

	private static final int READERS = 3;

	private static final int READS_PER_READER = 800;

	private static final int WRITERS = 2;

	private static final int WRITES_PER_WRITER = 120;

	/** The share of reads (in percent) that go to the home page, the hot page. */
	private static final int HOT_PERCENT = 25;

	private static final double MIN_HOT_HIT_RATIO = 0.5;

	/**
	 * A floor, not a target: pages may miss more often under eviction, but a cache that
	 * keeps caching serves a quarter of these reads at least.
	 */
	private static final double MIN_HIT_RATIO = 0.25;

	private static final int FILLER_BYTES = 16 * 1024;

	private static final String FILLER_PREFIX = "memory-pressure-test-filler:";

	private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern INFO_FIELD = Pattern.compile("(?m)^([a-z_]+):(\\d+)\\r?$");

	@ParameterizedTest(name = "maxmemory-policy {0}")
	@ValueSource(strings = { "allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-ttl" })
	void evictingRedisServesFreshPagesOrMissesAndKeepsTheHotPageCached(String policy) throws Exception {
		long seed = seed();
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			configure(redis, policy, EVICTING_MAXMEMORY);
			try (ConfigurableApplicationContext application = startBlog(redis)) {
				BlogRun run = new BlogRun(application, seed);
				run.readAndWrite();
				long evicted = info(redis, "evicted_keys");
				run.report("maxmemory-policy " + policy + ", maxmemory " + EVICTING_MAXMEMORY + ": " + evicted
						+ " keys evicted");
				run.checker.assertFreshAndAnswered(seed);
				assertThat(evicted).as("keys evicted").isPositive();
				assertThat(run.hot.ratio()).as("hit ratio of the hot page %s", run.pages.home())
					.isGreaterThanOrEqualTo(MIN_HOT_HIT_RATIO);
				assertThat(run.all.ratio()).as("hit ratio of all reads").isGreaterThanOrEqualTo(MIN_HIT_RATIO);
			}
		}
	}

	@Test
	void fullRedisUnderNoevictionServesFreshPagesWithoutErrorsAndCachesAgainOnceMemoryIsFreed() throws Exception {
		long seed = seed();
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			configure(redis, "noeviction", FULL_MAXMEMORY);
			try (ConfigurableApplicationContext application = startBlog(redis)) {
				BlogRun run = new BlogRun(application, seed);
				run.warm();
				Filler filler = new Filler(redis);
				filler.fillUntilRefused();
				redis.command("CONFIG", "RESETSTAT");
				filler.keepFullWhile(run::readAndWrite);
				long refusedToPageCache = info(redis, "total_error_replies") - filler.refusals.get();
				run.report("noeviction, maxmemory " + FULL_MAXMEMORY + " filled with " + filler.keys.get()
						+ " filler keys: " + refusedToPageCache + " commands of the cache refused");
				assertThat(refusedToPageCache).as("commands of the cache that full Redis refused").isPositive();
				filler.empty();
				assertThat(run.readUntilHit(run.pages.home())).as("the home page is a hit again").isTrue();
				assertThat(run.readUntilHit(run.pages.post(1))).as("a post's page is a hit again").isTrue();
				run.checker.assertFreshAndAnswered(seed);
			}
		}
	}

	private static long seed() {
		long seed = Long.getLong("pagecache.test.seed", System.nanoTime());
		System.out.println(
				"MemoryPressureFreshnessTests seed: " + seed + " (replay with -Dpagecache.test.seed=" + seed + ")");
		return seed;
	}

	private static void configure(RedisServerProcess redis, String policy, String maxmemory) {
		assertThat(redis.command("CONFIG", "SET", "maxmemory-policy", policy)).isEqualTo("+OK");
		assertThat(redis.command("CONFIG", "SET", "maxmemory", maxmemory)).isEqualTo("+OK");
	}

	private static ConfigurableApplicationContext startBlog(RedisServerProcess redis) {
		return new SpringApplicationBuilder(BlogTestApplication.class)
			.properties("server.port=0", "spring.data.redis.host=" + redis.getHost(),
					"spring.data.redis.port=" + redis.getPort(), "pagecache.redis.namespace=blog-memory")
			.run();
	}

	/** A number field of {@code INFO}: {@code evicted_keys}, {@code used_memory}. */
	private static long info(RedisServerProcess redis, String field) {
		Matcher matcher = INFO_FIELD.matcher(redis.command("INFO", "all"));
		while (matcher.find()) {
			if (matcher.group(1).equals(field)) {
				return Long.parseLong(matcher.group(2));
			}
		}
		throw new IllegalStateException("No " + field + " in INFO");
	}

	/**
	 * One run over the blog with the fixture's posts and {@link #EXTRA_POSTS} more: each
	 * writer owns four posts (the newest two among them, shown on the home page); a read
	 * goes to the home page, a category, a written post or any post.
	 */
	private static final class BlogRun {

		final FreshnessChecker checker;

		final BlogPages pages;

		final Tally all = new Tally();

		final Tally hot = new Tally();

		private final TestHttp<byte[]> http;

		private final long seed;

		private final List<String> posts = new ArrayList<>();

		private final List<long[]> owned = new ArrayList<>();

		private final AtomicInteger reads = new AtomicInteger();

		private final AtomicInteger writes = new AtomicInteger();

		BlogRun(ConfigurableApplicationContext application, long seed) {
			BlogService blog = application.getBean(BlogService.class);
			Fixture fixture = blog.reset();
			this.checker = new FreshnessChecker(blog, true);
			this.checker.trackFixture(fixture);
			int port = ((WebServerApplicationContext) application).getWebServer().getPort();
			this.pages = new BlogPages(port, fixture);
			this.http = TestHttp.bytes(port);
			this.seed = seed;
			List<Long> extra = new ArrayList<>();
			for (int i = 1; i <= EXTRA_POSTS; i++) {
				boolean even = i % 2 == 0;
				String title = "Extra " + i;
				long id = blog.addPost(even ? fixture.alice() : fixture.bob(), even ? fixture.java() : fixture.news(),
						title);
				this.checker.track(id, title);
				extra.add(id);
			}
			for (int i = 1; i <= 4; i++) {
				this.posts.add(this.pages.post(i));
			}
			extra.forEach((id) -> this.posts.add("/blog/posts/" + id));
			this.owned.add(new long[] { fixture.post(1), fixture.post(2), fixture.post(3), fixture.post(4) });
			this.owned.add(new long[] { extra.get(EXTRA_POSTS / 3), extra.get(2 * EXTRA_POSTS / 3),
					extra.get(EXTRA_POSTS - 2), extra.get(EXTRA_POSTS - 1) });
		}

		/** Read every page that is read most, twice. */
		void warm() {
			for (String path : written()) {
				read(path);
				read(path);
			}
		}

		/** Readers and writers at once, a write after every few reads. */
		void readAndWrite() throws Exception {
			ExecutorService executor = Executors.newFixedThreadPool(WRITERS + READERS);
			try {
				List<Future<?>> tasks = new ArrayList<>();
				for (int w = 0; w < WRITERS; w++) {
					int writer = w;
					Random random = new Random(this.seed + w);
					tasks.add(executor.submit(() -> write(writer, random)));
				}
				for (int r = 0; r < READERS; r++) {
					Random random = new Random(this.seed + 100 + r);
					tasks.add(executor.submit(() -> read(random)));
				}
				for (Future<?> task : tasks) {
					task.get(3, TimeUnit.MINUTES);
				}
			}
			finally {
				executor.shutdownNow();
			}
		}

		/**
		 * Read a page until it is a hit.
		 * @return whether it was a hit before the deadline
		 */
		boolean readUntilHit(String path) throws InterruptedException {
			long deadline = System.nanoTime() + RESUME_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				if ("HIT".equals(TestHttp.cacheResult(this.checker.read(this.http, path)))) {
					return true;
				}
				Thread.sleep(50);
			}
			return false;
		}

		void report(String setting) {
			System.out.printf(
					"MemoryPressureFreshnessTests, %s: %d reads, %d writes, %d stale reads, %d errors, "
							+ "hit ratio %.3f (%d hits), hot page %s %.3f (%d of %d reads)%n",
					setting, this.all.reads.get(), this.writes.get(), this.checker.staleReads(), this.checker.errors(),
					this.all.ratio(), this.all.hits.get(), this.pages.home(), this.hot.ratio(), this.hot.hits.get(),
					this.hot.reads.get());
		}

		private void write(int writer, Random random) {
			long[] posts = this.owned.get(writer);
			int readsPerWrite = (READERS * READS_PER_READER) / (WRITERS * WRITES_PER_WRITER);
			for (int n = 0; n < WRITES_PER_WRITER; n++) {
				awaitReads((n * WRITERS + writer) * readsPerWrite);
				int first = random.nextInt(posts.length);
				int second = (first + 1 + random.nextInt(posts.length - 1)) % posts.length;
				this.checker.write(posts[first], posts[second], random, posts[first] + "-" + n);
				this.writes.incrementAndGet();
			}
		}

		private void awaitReads(int count) {
			while (this.reads.get() < count) {
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
		}

		private void read(Random random) {
			List<String> written = written();
			for (int n = 0; n < READS_PER_READER; n++) {
				int draw = random.nextInt(100);
				String path;
				if (draw < HOT_PERCENT) {
					path = this.pages.home();
				}
				else if (draw < HOT_PERCENT + 10) {
					path = random.nextBoolean() ? this.pages.java() : this.pages.news();
				}
				else if (draw < HOT_PERCENT + 40) {
					path = written.get(random.nextInt(written.size()));
				}
				else {
					path = this.posts.get(random.nextInt(this.posts.size()));
				}
				read(path);
				this.reads.incrementAndGet();
			}
		}

		private void read(String path) {
			HttpResponse<byte[]> response = this.checker.read(this.http, path);
			boolean hit = "HIT".equals(TestHttp.cacheResult(response));
			this.all.count(hit);
			if (path.equals(this.pages.home())) {
				this.hot.count(hit);
			}
		}

		/**
		 * The pages that writes change: the home page, the categories, the written posts.
		 */
		private List<String> written() {
			List<String> paths = new ArrayList<>(List.of(this.pages.home(), this.pages.java(), this.pages.news()));
			for (long[] posts : this.owned) {
				for (long id : posts) {
					paths.add("/blog/posts/" + id);
				}
			}
			return paths;
		}

	}

	/** Reads and hits of a set of pages. */
	private static final class Tally {

		final AtomicInteger reads = new AtomicInteger();

		final AtomicInteger hits = new AtomicInteger();

		void count(boolean hit) {
			this.reads.incrementAndGet();
			if (hit) {
				this.hits.incrementAndGet();
			}
		}

		double ratio() {
			return (this.reads.get() == 0) ? 0 : (double) this.hits.get() / this.reads.get();
		}

	}

	/**
	 * Keys of the test's own that take Redis's memory: written until Redis refuses one,
	 * and again every 100 ms while the cache runs, since expiring keys free some.
	 */
	private static final class Filler {

		final AtomicInteger keys = new AtomicInteger();

		final AtomicInteger refusals = new AtomicInteger();

		private final RedisServerProcess redis;

		private final String value = "x".repeat(FILLER_BYTES);

		Filler(RedisServerProcess redis) {
			this.redis = redis;
		}

		void fillUntilRefused() {
			while (true) {
				String reply = this.redis.command("SET", FILLER_PREFIX + this.keys.get(), this.value);
				if (reply.startsWith("-OOM")) {
					this.refusals.incrementAndGet();
					return;
				}
				assertThat(reply).isEqualTo("+OK");
				this.keys.incrementAndGet();
			}
		}

		void keepFullWhile(Task task) throws Exception {
			this.refusals.set(0);
			AtomicBoolean running = new AtomicBoolean(true);
			Thread topUp = new Thread(() -> {
				while (running.get()) {
					fillUntilRefused();
					try {
						Thread.sleep(100);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "redis-filler");
			topUp.start();
			try {
				task.run();
			}
			finally {
				running.set(false);
				topUp.join();
			}
		}

		void empty() {
			for (int i = 0; i < this.keys.get(); i++) {
				this.redis.command("DEL", FILLER_PREFIX + i);
			}
		}

	}

	@FunctionalInterface
	private interface Task {

		void run() throws Exception;

	}

}
