package dev.pagecache.jpa;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.RedisServerProcess;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The randomized freshness test of the {@link BlogWorkload} while keys of the namespace
 * disappear, as they do from a Redis that evicts under any {@code maxmemory-policy}:
 * every ten reads a {@link KeyLoss} round deletes keys at random. A lost key may make
 * pages misses, never stale. Replay with {@code -Dpagecache.test.seed=<seed>} (thread
 * interleavings still vary).
 */
class KeyLossFreshnessTests {

	private static final String TEST = "KeyLossFreshnessTests";

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

	private static final double MIN_HIT_RATIO = 0.1;

	@Test
	void lostKeysMakeMissesButNeverStalePages() throws Exception {
		long seed = BlogWorkload.seed(TEST);
		try (RedisServerProcess redis = RedisServerProcess.start();
				ConfigurableApplicationContext application = BlogWorkload.start(redis)) {
			BlogWorkload run = new BlogWorkload(application, seed, EXTRA_POSTS);
			KeyLoss loss = new KeyLoss(application.getBean(StringRedisTemplate.class), BlogWorkload.NAMESPACE,
					new Random(seed));
			during(run, loss);
			Map<String, Integer> deleted = loss.deletedByKind();
			run.report(TEST, "keys deleted by kind " + deleted + " in " + loss.rounds() + " rounds");
			run.checker.assertFreshAndAnswered(seed);
			assertThat(deleted).as("pages deleted").containsKey("page");
			assertThat(deleted.keySet().stream().filter((kind) -> !KeyLoss.PAGE_KINDS.contains(kind)))
				.as("kinds of other keys deleted")
				.hasSizeGreaterThanOrEqualTo(3);
			assertThat(run.all.ratio()).as("hit ratio of all reads").isGreaterThanOrEqualTo(MIN_HIT_RATIO);
		}
	}

	private static void during(BlogWorkload run, KeyLoss loss) throws Exception {
		AtomicBoolean running = new AtomicBoolean(true);
		Thread thread = new Thread(() -> {
			while (running.get()) {
				if (run.reads() >= (loss.rounds() + 1) * READS_PER_ROUND) {
					loss.round();
				}
				else if (!pause()) {
					return;
				}
			}
		}, "key-loss");
		thread.start();
		try {
			run.readAndWrite();
		}
		finally {
			running.set(false);
			thread.join();
		}
	}

	private static boolean pause() {
		try {
			Thread.sleep(1);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
