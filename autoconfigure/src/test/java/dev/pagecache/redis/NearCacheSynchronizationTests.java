package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pagecache.redis.NearCacheMessage.Clear;
import dev.pagecache.redis.NearCacheMessage.Invalidation;
import dev.pagecache.redis.NearCacheMessage.Ping;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NearCacheSynchronization}, the near cache's state machine, without
 * Redis: messages in step, gaps, epochs, trust from the instance's own pings and its
 * expiry, and what is acknowledged.
 *
 * @author pagecache
 */
class NearCacheSynchronizationTests {

	private static final String ME = "me";

	private static final String EPOCH = "Xq3mX9a_E2lT0pVb";

	private static final String OTHER_EPOCH = "Yq3mX9a_E2lT0pVb";

	private static final long REGISTRATION = TimeUnit.SECONDS.toNanos(1);

	private final NearCacheEntries entries = new NearCacheEntries(1024 * 1024);

	private final NearCacheSynchronization synchronization = new NearCacheSynchronization(ME, REGISTRATION,
			this.entries);

	private long now = 1_000_000_000L;

	@Test
	void nothingIsServedNorKeptBeforeTheFirstPing() {
		assertThat(this.synchronization.trusts(this.now)).isFalse();
		assertThat(offer("/posts/1", 0, EPOCH, "Post#1")).isFalse();
		assertThat(this.synchronization.acknowledgement()).isNull();
	}

	@Test
	void ownPingTrustsTheCacheUntilItsSendingTimePlusTheRegistration() {
		long sentAt = this.now;
		trustedAt(5);
		assertThat(this.synchronization.trusts(sentAt + REGISTRATION - 1)).isTrue();
		assertThat(this.synchronization.trusts(sentAt + REGISTRATION)).isFalse();
		// expiry is sticky: the cache is bypassed until its next own ping
		assertThat(this.synchronization.trusts(sentAt)).isFalse();
	}

	@Test
	void pingOfAnotherInstanceTakesThePositionButGivesNoTrust() {
		this.synchronization.apply(new Ping("other", 1, 5, EPOCH));
		assertThat(this.synchronization.trusts(this.now)).isFalse();
		assertThat(this.synchronization.acknowledgement()).isEqualTo(new Acknowledgement(5, EPOCH));
	}

	@Test
	void pingOlderThanTheRegistrationGivesNoTrust() {
		long number = this.synchronization.nextPing(this.now);
		this.synchronization.nextPing(this.now + REGISTRATION + 1);
		this.synchronization.apply(new Ping(ME, number, 5, EPOCH));
		assertThat(this.synchronization.trusts(this.now)).isFalse();
	}

	@Test
	void invalidationInStepDropsOnlyThePagesOfItsTags() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		offer("/posts/2", 5, EPOCH, "Post#2");
		this.synchronization.apply(new Invalidation(6, EPOCH, List.of("Post#1")));
		assertThat(this.entries.readView()).containsOnlyKeys("/posts/2");
		assertThat(this.synchronization.flushes()).isZero();
		assertThat(this.synchronization.acknowledgement()).isEqualTo(new Acknowledgement(6, EPOCH));
	}

	@Test
	void gapInSequenceFlushesTheNearCache() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.apply(new Invalidation(7, EPOCH, List.of("Other#1")));
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.synchronization.flushes()).isOne();
		assertThat(this.synchronization.acknowledgement()).isEqualTo(new Acknowledgement(7, EPOCH));
	}

	@Test
	void invalidationOfAnotherEpochFlushesTheNearCache() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.apply(new Invalidation(6, OTHER_EPOCH, List.of("Other#1")));
		assertThat(this.entries.readView()).isEmpty();
		assertThat(offer("/posts/1", 6, EPOCH, "Post#1")).isFalse();
		assertThat(offer("/posts/1", 6, OTHER_EPOCH, "Post#1")).isTrue();
	}

	@Test
	void clearFlushesTheNearCacheAndTakesTheNewEpoch() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.apply(new Clear(6, OTHER_EPOCH));
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.synchronization.acknowledgement()).isEqualTo(new Acknowledgement(6, OTHER_EPOCH));
	}

	@Test
	void pingThatShowsAnInvalidationWasMissedFlushesTheNearCache() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.apply(new Ping("other", 9, 6, EPOCH));
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.synchronization.flushes()).isOne();
	}

	@Test
	void pingInStepKeepsThePages() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		trustedAt(5);
		assertThat(this.entries.readView()).containsOnlyKeys("/posts/1");
	}

	@Test
	void pingOfARedisWithoutEpochFlushesAndEndsTrust() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.apply(new Ping(ME, this.synchronization.nextPing(this.now), -1, ""));
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.synchronization.trusts(this.now)).isFalse();
		assertThat(this.synchronization.acknowledgement()).isNull();
	}

	@Test
	void pageReadBeforeAnInvalidationAppliedHereIsNotKept() {
		trustedAt(5);
		this.synchronization.apply(new Invalidation(6, EPOCH, List.of("Other#1")));
		assertThat(offer("/posts/1", 5, EPOCH, "Post#1")).isFalse();
		assertThat(offer("/posts/1", 6, EPOCH, "Post#1")).isTrue();
		assertThat(offer("/posts/1", 7, EPOCH, "Post#1")).isTrue();
	}

	@Test
	void lostMessageFlushesAndKeepsNothingUntilAMessageBringsAPosition() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.lostMessage();
		assertThat(this.entries.readView()).isEmpty();
		assertThat(offer("/posts/1", 6, EPOCH, "Post#1")).isFalse();
		this.synchronization.apply(new Invalidation(7, EPOCH, List.of()));
		assertThat(offer("/posts/1", 6, EPOCH, "Post#1")).isFalse();
		assertThat(offer("/posts/1", 7, EPOCH, "Post#1")).isTrue();
	}

	@Test
	void invalidationIsAppliedOnceThePositionReachesItOrWhenTheCacheIsNotTrusted() {
		trustedAt(5);
		assertThat(this.synchronization.hasApplied(6, EPOCH, this.now)).isFalse();
		assertThat(this.synchronization.hasApplied(5, OTHER_EPOCH, this.now)).isFalse();
		this.synchronization.apply(new Invalidation(6, EPOCH, List.of()));
		assertThat(this.synchronization.hasApplied(6, EPOCH, this.now)).isTrue();
		assertThat(this.synchronization.hasApplied(7, EPOCH, this.now)).isFalse();
		// a cache whose registration ran out serves nothing, so a writer need not wait
		assertThat(this.synchronization.hasApplied(7, EPOCH, this.now + REGISTRATION)).isTrue();
	}

	@Test
	void pingSentBeforeAnInvalidationAWriterDidNotWaitForRestoresNoTrust() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		long later = this.now + REGISTRATION;
		long pingSentBeforeTheWrite = this.synchronization.nextPing(later);
		// not trusted: the writer of invalidation 6 returns without waiting for this
		// cache
		assertThat(this.synchronization.hasApplied(6, EPOCH, later)).isTrue();
		this.synchronization.apply(new Ping(ME, pingSentBeforeTheWrite, 5, EPOCH));
		assertThat(this.synchronization.trusts(later)).as("trusted before invalidation 6 arrived").isFalse();
		this.synchronization.apply(new Invalidation(6, EPOCH, List.of("Post#1")));
		assertThat(this.entries.readView()).doesNotContainKey("/posts/1");
		long pingAfterTheWrite = this.synchronization.nextPing(later);
		this.synchronization.apply(new Ping(ME, pingAfterTheWrite, 6, EPOCH));
		assertThat(this.synchronization.trusts(later)).isTrue();
	}

	@Test
	void resetEndsTrustAndForgetsEverything() {
		trustedAt(5);
		offer("/posts/1", 5, EPOCH, "Post#1");
		this.synchronization.reset();
		assertThat(this.synchronization.trusts(this.now)).isFalse();
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.synchronization.acknowledgement()).isNull();
	}

	private void trustedAt(long sequence) {
		long number = this.synchronization.nextPing(this.now);
		this.synchronization.apply(new Ping(ME, number, sequence, EPOCH));
		assertThat(this.synchronization.trusts(this.now)).isTrue();
	}

	private boolean offer(String key, long sequence, String epoch, String... tags) {
		PageEntry entry = new PageEntry(200, List.of(), key.getBytes(StandardCharsets.UTF_8), key.length(), "\"e\"", 0,
				Set.of(tags));
		PageLookup lookup = new PageLookup(entry, sequence, epoch, null);
		return this.synchronization.offer(new NearCacheEntry(key, lookup, this.now + REGISTRATION, 100), sequence,
				epoch, this.now);
	}

}
