package dev.pagecache.jpa;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.pagecache.test.TestHttp;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the failover tests through the blog share: a read that compares a page as the
 * cache answers it with the page rendered past the cache right after it (as nothing is
 * written meanwhile, a page that differs misses a write that returned before it was asked
 * for: a stale read), a reader that reads pages at random while a failover runs, and the
 * tally of what the reads saw.
 */
final class FailoverReads {

	/** How soon after a failover every page must be a hit again. */
	static final Duration CACHING_RESUMES_WITHIN = Duration.ofSeconds(10);

	/** Credentials make a request bypass the cache (S1); the blog ignores them. */
	private static final String[] CREDENTIALS = { "Authorization", "Basic ZmFpbG92ZXI6ZmFpbG92ZXI=" };

	private FailoverReads() {
	}

	/**
	 * Post a comment through a blog instance.
	 */
	static void comment(Blog blog, String post, String text) {
		HttpResponse<String> response = blog.http().postForm(post + "/comments", TestHttp.fields("text", text));
		assertThat(response.statusCode()).as("posting a comment").isEqualTo(200);
		assertThat(response.body()).startsWith("comment ");
	}

	/**
	 * A page as the application renders it without the cache.
	 */
	static String pastTheCache(Blog blog, String page) {
		return blog.http().get(page, CREDENTIALS).body();
	}

	/**
	 * Read a page until it is a hit, as it is again soon after the failover when caching
	 * resumes.
	 */
	static void readUntilHit(Blog blog, String page, Tally tally) {
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
	static Read read(Blog blog, String page) {
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

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A running blog instance.
	 */
	record Blog(ConfigurableApplicationContext context, int port, TestHttp<String> http) {

		static Blog of(ConfigurableApplicationContext context) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			return new Blog(context, port, TestHttp.text(port));
		}

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
	 * Reads pages of instances at random from the kill of a primary until the application
	 * has reconnected, at a pace that leaves the machine's cores to Redis.
	 */
	static final class WindowReader extends Thread {

		private volatile Throwable failure;

		private final List<Blog> blogs;

		private final List<String> pages;

		private final Tally tally;

		private final Random random;

		private final AtomicBoolean running = new AtomicBoolean(true);

		WindowReader(List<Blog> blogs, List<String> pages, Tally tally, Random random) {
			super("failover-window-reader");
			this.blogs = blogs;
			this.pages = pages;
			this.tally = tally;
			this.random = random;
		}

		@Override
		public void run() {
			try {
				while (this.running.get()) {
					Blog blog = this.blogs.get(this.random.nextInt(this.blogs.size()));
					this.tally.duringFailover(read(blog, this.pages.get(this.random.nextInt(this.pages.size()))));
					FailoverReads.sleep(20);
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
	static final class Tally {

		private final String test;

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

		Tally(String test) {
			this.test = test;
		}

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
			System.out.printf("%s (%s): %d rounds, promotion %.1f s and reconnection %.1f s after the kill on "
					+ "average; after the failovers %d reads, %d hits, %d stale, %d pages never a hit again; during "
					+ "the failovers %d reads, %d hits, %d stale, %d not answered%n", this.test, variant, this.rounds,
					this.promotionNanos / 1e9 / this.rounds, this.reconnectionNanos / 1e9 / this.rounds,
					this.readsAfter, this.hitsAfter, this.staleAfter, this.neverHitAgain.size(), this.readsDuring,
					this.hitsDuring, this.staleDuring, this.unanswered);
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
