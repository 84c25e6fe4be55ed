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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writer and reader threads over the blog, at random: zero stale reads, as the
 * {@link FreshnessChecker} judges them. Each writer owns two posts and is the only one to
 * write them.
 * <p>
 * Replay with {@code -Dpagecache.test.seed=<seed>} (thread interleavings still vary).
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.namespace=blog", "pagecache.refresh-ahead.enabled=true" })
@WithRedisServer(shared = true)
class RandomizedFreshnessTests {

	private static final int WRITERS = 2;

	private static final int WRITES_PER_WRITER = 700;

	private static final int READERS = 4;

	private static final int READS_PER_READER = 1000;

	private static final long READER_PAUSE_NANOS = Duration.ofMillis(5).toNanos();

	@LocalServerPort
	int port;

	@Autowired
	BlogService blog;

	@Autowired
	PageCache pageCache;

	final AtomicLong hits = new AtomicLong();

	final AtomicInteger operations = new AtomicInteger();

	@Test
	void concurrentReadersNeverSeeAPageOlderThanTheLastReturnedWrite() throws Exception {
		long seed = Long.getLong("pagecache.test.seed", System.nanoTime());
		System.out
			.println("RandomizedFreshnessTests seed: " + seed + " (replay with -Dpagecache.test.seed=" + seed + ")");
		Fixture fixture = this.blog.reset();
		this.pageCache.clear();
		FreshnessChecker checker = new FreshnessChecker(this.blog, bulkUpdates(), staleAfter());
		checker.trackFixture(fixture);
		List<TestHttp<byte[]>> instances = new ArrayList<>();
		for (int port : ports()) {
			instances.add(TestHttp.bytes(port));
		}
		List<String> paths = new BlogPages(this.port, fixture).all();
		ExecutorService executor = Executors.newFixedThreadPool(WRITERS + READERS);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				long[] owned = { fixture.post(2 * w + 1), fixture.post(2 * w + 2) };
				Random random = new Random(seed + w);
				writers.add(executor.submit(() -> write(checker, owned, random)));
			}
			tasks.addAll(writers);
			for (int r = 0; r < READERS; r++) {
				Random random = new Random(seed + 100 + r);
				tasks.add(executor.submit(() -> read(checker, instances, paths, random, writers)));
			}
			for (Future<?> task : tasks) {
				task.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		System.out.println(getClass().getSimpleName() + ": " + this.operations.get() + " operations, " + this.hits.get()
				+ " hits, " + checker.staleReads() + " stale reads, " + checker.errors() + " errors");
		assertThat(this.operations.get())
			.isGreaterThanOrEqualTo(READERS * READS_PER_READER + WRITERS * writesPerWriter());
		checker.assertFreshAndAnswered(seed);
		assertThat(this.hits.get()).as("hits among %d reads", READERS * READS_PER_READER)
			.isGreaterThan(READERS * READS_PER_READER / 10);
	}

	/**
	 * The ports of the instances that readers send their requests to, at random; writes
	 * go through this test's application context.
	 * @return the ports
	 */
	protected List<Integer> ports() {
		return List.of(this.port);
	}

	/**
	 * How long after a write returned a request that does not show it is a stale read
	 * (zero: any request that starts after it returned).
	 * @return zero unless a subclass says otherwise
	 */
	protected Duration staleAfter() {
		return Duration.ZERO;
	}

	/**
	 * How many writes each writer makes.
	 * @return {@value #WRITES_PER_WRITER} unless a subclass says otherwise
	 */
	protected int writesPerWriter() {
		return WRITES_PER_WRITER;
	}

	/**
	 * The mean pause of a writer between two writes (at random, up to twice as long), so
	 * that what a write leaves behind is read for a while before the next write of the
	 * same post; readers then read until the writers are done.
	 * @return zero unless a subclass says otherwise
	 */
	protected Duration pauseBetweenWrites() {
		return Duration.ZERO;
	}

	/**
	 * Whether writers also run bulk JPQL updates.
	 * @return {@code true} unless a subclass says otherwise
	 */
	protected boolean bulkUpdates() {
		return true;
	}

	private void write(FreshnessChecker checker, long[] owned, Random random) {
		long pause = pauseBetweenWrites().toNanos();
		for (int n = 0; n < writesPerWriter(); n++) {
			long postId = owned[random.nextInt(2)];
			long otherId = (postId == owned[0]) ? owned[1] : owned[0];
			checker.write(postId, otherId, random, postId + "-" + n);
			this.operations.incrementAndGet();
			if (pause > 0) {
				LockSupport.parkNanos((long) (random.nextDouble() * 2 * pause));
			}
		}
	}

	private void read(FreshnessChecker checker, List<TestHttp<byte[]>> instances, List<String> paths, Random random,
			List<Future<?>> writers) {
		boolean untilWritersAreDone = !pauseBetweenWrites().isZero();
		for (int n = 0; n < READS_PER_READER
				|| (untilWritersAreDone && writers.stream().anyMatch((writer) -> !writer.isDone())); n++) {
			TestHttp<byte[]> http = instances.get(random.nextInt(instances.size()));
			String path = paths.get(random.nextInt(paths.size()));
			HttpResponse<byte[]> response = checker.read(http, path);
			// served by pagecache's store, or by an edge in front of it (X-Cache)
			if ("HIT".equals(TestHttp.cacheResult(response))
					|| "HIT".equals(response.headers().firstValue("X-Cache").orElse(null))) {
				this.hits.incrementAndGet();
			}
			this.operations.incrementAndGet();
			if (untilWritersAreDone) {
				// the writers pause: so do readers, a little, to leave the machine to
				// them
				LockSupport.parkNanos(READER_PAUSE_NANOS);
			}
		}
	}

}
