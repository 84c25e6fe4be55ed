package dev.pagecache.redis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageStoreUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LostInvalidationRecovery} (invariant F4), without Redis.
 *
 * @author pagecache
 */
class LostInvalidationRecoveryTests {

	private final AtomicInteger clears = new AtomicInteger();

	private final AtomicBoolean redisDown = new AtomicBoolean();

	private final LostInvalidationRecovery recovery = new LostInvalidationRecovery(this::clear);

	@Test
	void nothingIsPendingUntilAnInvalidationIsLost() {
		assertThat(this.recovery.isPending()).isFalse();
		this.recovery.lost();
		assertThat(this.recovery.isPending()).isTrue();
	}

	@Test
	void oneClearRecoversFromEveryLossBeforeIt() {
		this.recovery.lost();
		this.recovery.lost();
		assertThat(this.recovery.recover(true)).isTrue();
		assertThat(this.recovery.isPending()).isFalse();
		assertThat(this.recovery.recover(true)).isTrue();
		assertThat(this.clears).hasValue(1);
	}

	@Test
	void recoveryThatFailsStaysPending() {
		this.recovery.lost();
		this.redisDown.set(true);
		assertThatExceptionOfType(PageStoreUnavailableException.class).isThrownBy(() -> this.recovery.recover(true));
		assertThat(this.recovery.isPending()).isTrue();
		this.redisDown.set(false);
		this.recovery.recover(true);
		assertThat(this.recovery.isPending()).isFalse();
	}

	@Test
	void clearThatFailsIsALossAndOneThatSucceedsCoversEarlierLosses() {
		this.redisDown.set(true);
		assertThatExceptionOfType(PageStoreUnavailableException.class).isThrownBy(this.recovery::clearNow);
		assertThat(this.recovery.isPending()).isTrue();
		this.redisDown.set(false);
		this.recovery.clearNow();
		assertThat(this.recovery.isPending()).isFalse();
	}

	@Test
	void lookupDoesNotWaitForARecoveryThatAnotherThreadRuns() throws Exception {
		CountDownLatch clearing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		LostInvalidationRecovery slow = new LostInvalidationRecovery(() -> {
			clearing.countDown();
			await(release);
		});
		slow.lost();
		Thread recovering = new Thread(() -> slow.recover(true));
		recovering.start();
		assertThat(clearing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(slow.recover(false)).isFalse();
		release.countDown();
		recovering.join(5000);
		assertThat(slow.isPending()).isFalse();
	}

	private void clear() {
		if (this.redisDown.get()) {
			throw new PageStoreUnavailableException("down");
		}
		this.clears.incrementAndGet();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
