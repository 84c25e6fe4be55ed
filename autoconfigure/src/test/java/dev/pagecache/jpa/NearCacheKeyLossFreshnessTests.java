package dev.pagecache.jpa;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The randomized freshness test with the near cache on, across two instances, while keys
 * of the namespace disappear at random (a {@link KeyLoss} round every 20 ms), and every
 * fiftieth round the near caches' registrations and acknowledgements too: the keys that
 * the writer's wait for the near caches depends on (DESIGN F3 with the near cache on).
 * Each loss of the registrations makes the writes of the next registration wait (200 ms
 * here), so they are not lost more often. A lost key may make pages misses, never stale,
 * in either instance's memory: a near cache must notice a lost counter or epoch and drop
 * what it holds.
 * <p>
 * What it does not catch: a writer that does not wait for the other instance's
 * acknowledgement leaves a stale page only for as long as the invalidation's message
 * takes to reach that instance, well under a millisecond here; checked by hand, the run
 * finds no stale read with the wait removed from {@code AcknowledgementWait}. The
 * writer's wait while the registrations are lost is tested where the message is lost for
 * sure ({@code NearCachedRedisPageStoreTests}).
 */
class NearCacheKeyLossFreshnessTests extends NearCacheRandomizedFreshnessTests {

	private static final int ROUNDS_PER_NEAR_CACHE_LOSS = 50;

	private KeyLoss loss;

	private int nearCacheKeysDeleted;

	@BeforeEach
	void createKeyLoss() {
		long seed = Long.getLong("pagecache.test.seed", System.nanoTime());
		this.loss = new KeyLoss(this.first.getBean(StringRedisTemplate.class), "blog", new Random(seed));
	}

	@AfterEach
	void checkWhatWasLost() {
		Map<String, Integer> deleted = this.loss.deletedByKind();
		assertThat(deleted).as("pages deleted").containsKey("page");
		assertThat(this.nearCacheKeysDeleted).as("near-cache registrations and acknowledgements deleted").isPositive();
	}

	@Override
	protected boolean fault() {
		this.loss.round();
		if (this.loss.rounds() % ROUNDS_PER_NEAR_CACHE_LOSS == 0) {
			Long deleted = this.first.getBean(StringRedisTemplate.class)
				.delete(List.of("{blog}:near-cache:instances", "{blog}:near-cache:acknowledged"));
			this.nearCacheKeysDeleted += (deleted != null) ? deleted.intValue() : 0;
		}
		return true;
	}

	@Override
	protected Duration faultInterval() {
		return Duration.ofMillis(20);
	}

	@Override
	protected String describeFaults(int faults) {
		return "keys deleted by kind " + this.loss.deletedByKind() + " in " + this.loss.rounds()
				+ " rounds, near-cache keys " + this.nearCacheKeysDeleted;
	}

}
