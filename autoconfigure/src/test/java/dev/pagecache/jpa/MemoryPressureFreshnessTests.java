package dev.pagecache.jpa;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog on a Redis whose memory is too small for its pages: the {@link BlogWorkload}
 * over some 300 pages, judged by the {@link FreshnessChecker}. Whatever Redis evicts
 * under each {@code maxmemory-policy}, and whatever it refuses when it is full under
 * {@code noeviction}, a page is fresh or a miss, never a stale hit; the cache keeps
 * caching, the home page (read most) in particular.
 * <p>
 * Each test owns its Redis server and its application (with its own database). Replay
 * with {@code -Dpagecache.test.seed=<seed>} (thread interleavings still vary).
 */
@ExpectedLogs(value = { "dev.pagecache.jpa.HibernatePageCacheIntegration", "dev.pagecache.web.PageCacheFilter" },
		because = "Redis runs out of memory and refuses writes")
class MemoryPressureFreshnessTests {

	private static final String TEST = "MemoryPressureFreshnessTests";

	/**
	 * The share (in percent) of what every page, with its indexes and records, took in
	 * Redis that Redis may keep: eviction from the first request on. Relative, since
	 * Redis versions differ in what an idle server and a key take.
	 */
	private static final int KEPT_PERCENT = 40;

	/** Posts besides the fixture's four: more pages than fit. */
	private static final int EXTRA_POSTS = 300;

	private static final String FULL_MAXMEMORY = "4mb";

	/**
	 * Floors, not targets: pages may miss more often under eviction, but a cache that
	 * keeps caching serves a good share of its hot page and a fifth of these reads at
	 * least. An LFU policy evicts the tag indexes first (stores touch them, reads do
	 * not), which leaves pages outside their indexes and makes lookups check every page's
	 * tags, so under {@code allkeys-lfu} the hot page is a hit for about 0.53 of its
	 * reads and all pages for about 0.22 (0.8 and 0.5 under the LRU policies).
	 */
	private static final double MIN_HOT_HIT_RATIO = 0.5;

	private static final double MIN_HIT_RATIO = 0.2;

	private static final double MIN_HOT_HIT_RATIO_LFU = 0.35;

	private static final double MIN_HIT_RATIO_LFU = 0.12;

	private static final int FILLER_BYTES = 16 * 1024;

	private static final String FILLER_PREFIX = "memory-pressure-test-filler:";

	private static final Pattern INFO_FIELD = Pattern.compile("(?m)^([a-z_]+):(\\d+)\\r?$");

	@ParameterizedTest(name = "maxmemory-policy {0}")
	@ValueSource(strings = { "allkeys-lru", "volatile-lru", "allkeys-lfu", "volatile-ttl" })
	void evictingRedisServesFreshPagesOrMissesAndKeepsTheHotPageCached(String policy) throws Exception {
		evictingRedis(policy, "pagecache.redis.near-cache.enabled=false");
	}

	/**
	 * The same with the near cache on: under {@code volatile-ttl} its registrations,
	 * whose TTL is short, are among the first keys evicted.
	 */
	@ParameterizedTest(name = "maxmemory-policy {0}, near cache on")
	@ValueSource(strings = { "allkeys-lru", "volatile-ttl" })
	void evictingRedisWithTheNearCacheOnServesFreshPagesOrMisses(String policy) throws Exception {
		evictingRedis(policy, "pagecache.redis.near-cache.enabled=true");
	}

	private void evictingRedis(String policy, String nearCache) throws Exception {
		long seed = BlogWorkload.seed(TEST);
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertThat(redis.command("CONFIG", "SET", "maxmemory-policy", policy)).isEqualTo("+OK");
			try (ConfigurableApplicationContext application = BlogWorkload.start(redis, nearCache)) {
				BlogWorkload run = new BlogWorkload(application, seed, EXTRA_POSTS);
				long idle = info(redis, "used_memory");
				run.warm();
				long cached = info(redis, "used_memory");
				long maxmemory = idle + (cached - idle) * KEPT_PERCENT / 100;
				assertThat(redis.command("CONFIG", "SET", "maxmemory", Long.toString(maxmemory))).isEqualTo("+OK");
				run.readAndWrite();
				long evicted = info(redis, "evicted_keys");
				run.report(TEST, String.format("maxmemory-policy %s%s, maxmemory %.2f MB: %d keys evicted", policy,
						nearCache.endsWith("=true") ? ", near cache on" : "", maxmemory / 1048576.0, evicted));
				run.checker.assertFreshAndAnswered(seed);
				assertThat(evicted).as("keys evicted").isPositive();
				boolean lfu = policy.endsWith("-lfu");
				assertThat(run.hot.ratio()).as("hit ratio of the hot page %s", run.pages.home())
					.isGreaterThanOrEqualTo(lfu ? MIN_HOT_HIT_RATIO_LFU : MIN_HOT_HIT_RATIO);
				assertThat(run.all.ratio()).as("hit ratio of all reads")
					.isGreaterThanOrEqualTo(lfu ? MIN_HIT_RATIO_LFU : MIN_HIT_RATIO);
			}
		}
	}

	/**
	 * Full under {@code noeviction}, with the near cache off and on: with it on, its
	 * heartbeats and acknowledgements are refused too, so it stops serving within its
	 * registration, and the writers' invalidations fail and are made up for.
	 */
	@ParameterizedTest(name = "near cache on: {0}")
	@ValueSource(booleans = { false, true })
	void fullRedisUnderNoevictionServesFreshPagesWithoutErrorsAndCachesAgainOnceMemoryIsFreed(boolean nearCache)
			throws Exception {
		long seed = BlogWorkload.seed(TEST);
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertThat(redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction")).isEqualTo("+OK");
			assertThat(redis.command("CONFIG", "SET", "maxmemory", FULL_MAXMEMORY)).isEqualTo("+OK");
			try (ConfigurableApplicationContext application = BlogWorkload.start(redis,
					"pagecache.redis.near-cache.enabled=" + nearCache)) {
				BlogWorkload run = new BlogWorkload(application, seed, EXTRA_POSTS);
				run.warm();
				Filler filler = new Filler(redis);
				filler.fillUntilRefused();
				redis.command("CONFIG", "RESETSTAT");
				filler.keepFullWhile(run);
				long refusedToPageCache = info(redis, "total_error_replies") - filler.refusals.get();
				run.report(TEST,
						"noeviction" + (nearCache ? ", near cache on" : "") + ", maxmemory " + FULL_MAXMEMORY
								+ " filled with " + filler.keys.get() + " filler keys: " + refusedToPageCache
								+ " commands of the cache refused");
				assertThat(refusedToPageCache).as("commands of the cache that full Redis refused").isPositive();
				filler.empty();
				assertThat(run.readUntilHit(run.pages.home())).as("the home page is a hit again").isTrue();
				assertThat(run.readUntilHit(run.pages.post(1))).as("a post's page is a hit again").isTrue();
				run.checker.assertFreshAndAnswered(seed);
			}
		}
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

		void keepFullWhile(BlogWorkload run) throws Exception {
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
				run.readAndWrite();
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

}
