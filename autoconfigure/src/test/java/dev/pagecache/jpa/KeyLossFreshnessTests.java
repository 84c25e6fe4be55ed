package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.RedisServerProcess;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The randomized freshness test of the {@link BlogWorkload} while keys of the namespace
 * disappear, as they do from a Redis that evicts under any {@code maxmemory-policy}:
 * every ten reads a thread lists the namespace's keys ({@code SCAN}, in this test only)
 * and deletes two keys other than pages at random (tag indexes, invalidation records, the
 * epoch, the invalidation counter, ...); every fifth round a page too, and every
 * hundredth round one key of each kind. A lost key may make pages misses, never stale.
 * <p>
 * Keys are told apart by name only as far as "a page or not" (a page's name, after the
 * namespace, begins with {@code page:} or {@code page-sha256:}) and by the first segment
 * of their name (their kind), so the test deletes whatever the store's layout calls its
 * keys. Replay with {@code -Dpagecache.test.seed=<seed>} (thread interleavings still
 * vary).
 */
class KeyLossFreshnessTests {

	private static final String TEST = "KeyLossFreshnessTests";

	private static final String PREFIX = "{" + BlogWorkload.NAMESPACE + "}:";

	/** The kinds of keys that are pages. */
	private static final Set<String> PAGE_KINDS = Set.of("page", "page-sha256");

	/**
	 * Few posts, so that few of the keys are the indexes of pages no one writes: a lost
	 * key is more often one that a write needs.
	 */
	private static final int EXTRA_POSTS = 12;

	/**
	 * Reads between two rounds of losses: tied to the workload's progress, not to the
	 * clock, so that a slow machine sees as many losses per write as a fast one.
	 */
	private static final int READS_PER_ROUND = 10;

	/** How many keys other than pages a round deletes. */
	private static final int OTHERS_PER_ROUND = 2;

	/** Every so many rounds, a page is lost. */
	private static final int ROUNDS_PER_PAGE = 5;

	/**
	 * Every so many rounds, one key of each kind goes too, so that the kinds of which
	 * there are only one or a few keys (the epoch, the counter) are lost a few times in a
	 * run.
	 */
	private static final int ROUNDS_PER_EACH_KIND = 100;

	private static final double MIN_HIT_RATIO = 0.1;

	@Test
	void lostKeysMakeMissesButNeverStalePages() throws Exception {
		long seed = BlogWorkload.seed(TEST);
		try (RedisServerProcess redis = RedisServerProcess.start();
				ConfigurableApplicationContext application = BlogWorkload.start(redis)) {
			BlogWorkload run = new BlogWorkload(application, seed, EXTRA_POSTS);
			KeyLoss loss = new KeyLoss(application.getBean(StringRedisTemplate.class), new Random(seed));
			loss.during(run);
			Map<String, Integer> deleted = loss.deletedByKind();
			run.report(TEST, "keys deleted by kind " + deleted + " in " + loss.rounds.get() + " rounds");
			run.checker.assertFreshAndAnswered(seed);
			assertThat(deleted).as("pages deleted").containsKey("page");
			assertThat(deleted.keySet().stream().filter((kind) -> !PAGE_KINDS.contains(kind)))
				.as("kinds of other keys deleted")
				.hasSizeGreaterThanOrEqualTo(3);
			assertThat(run.all.ratio()).as("hit ratio of all reads").isGreaterThanOrEqualTo(MIN_HIT_RATIO);
		}
	}

	/** The thread that deletes keys of the namespace while the workload runs. */
	private static final class KeyLoss {

		final AtomicInteger rounds = new AtomicInteger();

		private final StringRedisTemplate redis;

		private final Random random;

		private final Map<String, AtomicInteger> deleted = new ConcurrentHashMap<>();

		private final AtomicBoolean running = new AtomicBoolean();

		KeyLoss(StringRedisTemplate redis, Random random) {
			this.redis = redis;
			this.random = random;
		}

		void during(BlogWorkload run) throws Exception {
			this.running.set(true);
			Thread thread = new Thread(() -> loseKeys(run), "key-loss");
			thread.start();
			try {
				run.readAndWrite();
			}
			finally {
				this.running.set(false);
				thread.join();
			}
		}

		Map<String, Integer> deletedByKind() {
			Map<String, Integer> deleted = new TreeMap<>();
			this.deleted.forEach((kind, count) -> deleted.put(kind, count.get()));
			return deleted;
		}

		private void loseKeys(BlogWorkload run) {
			while (this.running.get()) {
				if (run.reads() < (this.rounds.get() + 1) * READS_PER_ROUND) {
					try {
						Thread.sleep(1);
					}
					catch (InterruptedException ex) {
						return;
					}
					continue;
				}
				List<String> pages = new ArrayList<>();
				List<String> others = new ArrayList<>();
				for (String key : namespaceKeys()) {
					(PAGE_KINDS.contains(kind(key)) ? pages : others).add(key);
				}
				int round = this.rounds.incrementAndGet();
				if (round % ROUNDS_PER_PAGE == 0) {
					delete(pages, 1);
				}
				delete(others, OTHERS_PER_ROUND);
				if (round % ROUNDS_PER_EACH_KIND == 0) {
					deleteOneOfEachKind(others);
				}
			}
		}

		private List<String> namespaceKeys() {
			List<String> keys = new ArrayList<>();
			ScanOptions options = ScanOptions.scanOptions().match(PREFIX + "*").count(1000).build();
			try (Cursor<String> cursor = this.redis.scan(options)) {
				cursor.forEachRemaining(keys::add);
			}
			return keys;
		}

		private void delete(List<String> keys, int count) {
			for (int i = 0; i < count && !keys.isEmpty(); i++) {
				delete(keys.remove(this.random.nextInt(keys.size())));
			}
		}

		private void deleteOneOfEachKind(List<String> keys) {
			Map<String, List<String>> byKind = new TreeMap<>();
			for (String key : keys) {
				byKind.computeIfAbsent(kind(key), (kind) -> new ArrayList<>()).add(key);
			}
			byKind.values().forEach((ofKind) -> delete(ofKind.get(this.random.nextInt(ofKind.size()))));
		}

		private void delete(String key) {
			if (Boolean.TRUE.equals(this.redis.delete(key))) {
				this.deleted.computeIfAbsent(kind(key), (kind) -> new AtomicInteger()).incrementAndGet();
			}
		}

		/**
		 * The first segment of a key's name after the namespace: {@code page},
		 * {@code tag}, {@code epoch}.
		 */
		private static String kind(String key) {
			String name = key.substring(PREFIX.length());
			int colon = name.indexOf(':');
			return (colon < 0) ? name : name.substring(0, colon);
		}

	}

}
