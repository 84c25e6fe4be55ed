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
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Readers and writers over the test blog, judged by a {@link FreshnessChecker}, for the
 * tests of a Redis that loses keys: posts besides the fixture's (some 300 give more pages
 * than a small Redis holds), a hot page (the home page, a third of the reads), and writes
 * paced by the reads (one every ten), so that pages live long enough between writes to be
 * hit after a key they depend on was lost.
 * <p>
 * Each writer owns four posts (the newest two, shown on the home page, among them); a
 * read goes to the home page, a category, a written post or any post.
 */
final class BlogWorkload {

	private static final int READERS = 3;

	private static final int READS_PER_READER = 1600;

	private static final int WRITERS = 2;

	private static final int WRITES_PER_WRITER = 240;

	/** The share of reads (in percent) that go to the home page. */
	private static final int HOT_PERCENT = 35;

	private static final String EXTRA_TITLE = "Extra ";

	private static final Duration HIT_TIMEOUT = Duration.ofSeconds(30);

	/** The namespace of the application's keys in Redis. */
	static final String NAMESPACE = "blog-workload";

	final FreshnessChecker checker;

	final BlogPages pages;

	/** The reads of every page. */
	final Tally all = new Tally();

	/** The reads of the hot page. */
	final Tally hot = new Tally();

	private final TestHttp<byte[]> http;

	private final long seed;

	private final List<String> posts = new ArrayList<>();

	private final List<long[]> owned = new ArrayList<>();

	private final AtomicInteger reads = new AtomicInteger();

	private final AtomicInteger writes = new AtomicInteger();

	/**
	 * Create the blog's posts in a started application.
	 * @param application the application, from {@link #start(RedisServerProcess)}
	 * @param seed the seed of the readers' and writers' choices
	 * @param extraPosts how many posts to add to the fixture's four, at least 12
	 */
	BlogWorkload(ConfigurableApplicationContext application, long seed, int extraPosts) {
		BlogService blog = application.getBean(BlogService.class);
		Fixture fixture = blog.reset();
		this.checker = new FreshnessChecker(blog, true);
		this.checker.trackFixture(fixture);
		int port = ((WebServerApplicationContext) application).getWebServer().getPort();
		this.pages = new BlogPages(port, fixture);
		this.http = TestHttp.bytes(port);
		this.seed = seed;
		List<Long> extra = insertPosts(application, fixture, extraPosts);
		for (int i = 0; i < extraPosts; i++) {
			this.checker.track(extra.get(i), EXTRA_TITLE + (i + 1));
		}
		for (int i = 1; i <= 4; i++) {
			this.posts.add(this.pages.post(i));
		}
		extra.forEach((id) -> this.posts.add("/blog/posts/" + id));
		this.owned.add(new long[] { fixture.post(1), fixture.post(2), fixture.post(3), fixture.post(4) });
		this.owned.add(new long[] { extra.get(extraPosts / 3), extra.get(2 * extraPosts / 3), extra.get(extraPosts - 2),
				extra.get(extraPosts - 1) });
	}

	/**
	 * Add posts straight to the database, as if they had been there before the
	 * application started: through the blog, each insert would be an invalidation that
	 * leaves its records in Redis for half a minute, filling a small Redis before the
	 * test begins. Nothing is cached yet, so nothing needs to be invalidated.
	 */
	private static List<Long> insertPosts(ConfigurableApplicationContext application, Fixture fixture, int count) {
		JdbcTemplate jdbc = new JdbcTemplate(application.getBean(DataSource.class));
		List<Object[]> rows = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			boolean even = i % 2 == 0;
			rows.add(new Object[] { EXTRA_TITLE + i, even ? fixture.alice() : fixture.bob(),
					even ? fixture.java() : fixture.news() });
		}
		jdbc.batchUpdate("insert into blog_posts (title, author_id, category_id) values (?, ?, ?)", rows);
		return jdbc.queryForList("select id from blog_posts where title like ? order by id", Long.class,
				EXTRA_TITLE + "%");
	}

	/**
	 * Start the test blog on a Redis server of its own, with a database of its own.
	 * @param redis the server
	 * @param properties more properties of the application
	 * @return the running application
	 */
	static ConfigurableApplicationContext start(RedisServerProcess redis, String... properties) {
		return new SpringApplicationBuilder(BlogTestApplication.class)
			.properties("server.port=0", "spring.data.redis.host=" + redis.getHost(),
					"spring.data.redis.port=" + redis.getPort(), "pagecache.redis.namespace=" + NAMESPACE)
			.properties(properties)
			.run();
	}

	/**
	 * The seed of a test's run, from {@code -Dpagecache.test.seed} or the clock, printed
	 * for a replay (thread interleavings still vary).
	 * @param test the test's name
	 * @return the seed
	 */
	static long seed(String test) {
		long seed = Long.getLong("pagecache.test.seed", System.nanoTime());
		System.out.println(test + " seed: " + seed + " (replay with -Dpagecache.test.seed=" + seed + ")");
		return seed;
	}

	/** Read every page once, so that each is stored. */
	void warm() {
		for (String path : List.of(this.pages.home(), this.pages.java(), this.pages.news())) {
			read(path);
		}
		this.posts.forEach(this::read);
	}

	/** Readers and writers at once, {@value #READERS} and {@value #WRITERS} threads. */
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

	/** How many reads the readers have done so far. */
	int reads() {
		return this.reads.get();
	}

	/**
	 * Read a page until it is a hit, judging every answer.
	 * @param path the page
	 * @return whether it was a hit within 30 seconds
	 */
	boolean readUntilHit(String path) throws InterruptedException {
		long deadline = System.nanoTime() + HIT_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if ("HIT".equals(TestHttp.cacheResult(this.checker.read(this.http, path)))) {
				return true;
			}
			Thread.sleep(50);
		}
		return false;
	}

	/**
	 * Print the figures of the run.
	 * @param test the test's name
	 * @param setting what the test did to Redis
	 */
	void report(String test, String setting) {
		System.out.printf(
				"%s, %s: %d reads, %d writes, %d stale reads, %d errors, hit ratio %.3f (%d hits), "
						+ "hot page %s %.3f (%d of %d reads)%n",
				test, setting, this.all.reads.get(), this.writes.get(), this.checker.staleReads(),
				this.checker.errors(), this.all.ratio(), this.all.hits.get(), this.pages.home(), this.hot.ratio(),
				this.hot.hits.get(), this.hot.reads.get());
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

	/** The pages that writes change: the home page, the categories, the written posts. */
	private List<String> written() {
		List<String> paths = new ArrayList<>(List.of(this.pages.home(), this.pages.java(), this.pages.news()));
		for (long[] posts : this.owned) {
			for (long id : posts) {
				paths.add("/blog/posts/" + id);
			}
		}
		return paths;
	}

	/** Reads and hits of a set of pages. */
	static final class Tally {

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

}
