package dev.pagecache.redis;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.locks.ReentrantLock;

import dev.pagecache.store.PageStoreUnavailableException;

/**
 * Invariant F4: an invalidation or a clear that could not reach Redis is not dropped.
 * This counts them and, before the store serves anything once Redis answers again, has
 * the whole cache cleared (a new epoch); until that clear has succeeded, the store serves
 * and stores nothing. A clear covers every loss counted before it started, so one clear
 * recovers from any number of losses. One lock, held only while a recovery clears.
 *
 * @author pagecache
 */
final class LostInvalidationRecovery {

	private static final AtomicLongFieldUpdater<LostInvalidationRecovery> LOST = AtomicLongFieldUpdater
		.newUpdater(LostInvalidationRecovery.class, "lost");

	private static final AtomicLongFieldUpdater<LostInvalidationRecovery> COVERED = AtomicLongFieldUpdater
		.newUpdater(LostInvalidationRecovery.class, "covered");

	private final Runnable clear;

	private final Runnable readerClear;

	private final ReentrantLock lock = new ReentrantLock();

	/** Invalidations and clears that failed, counted. */
	private volatile long lost;

	/** The value of {@link #lost} that the last successful clear covers. */
	private volatile long covered;

	/**
	 * Create a recovery.
	 * @param clear clears the cache in Redis, or throws
	 * {@link PageStoreUnavailableException}
	 */
	LostInvalidationRecovery(Runnable clear) {
		this(clear, clear);
	}

	/**
	 * Create a recovery whose readers clear another way: without waiting for other
	 * instances, since no reader waits for them.
	 * @param clear clears the cache in Redis for writers, or throws
	 * {@link PageStoreUnavailableException}
	 * @param readerClear clears it for readers ({@link #recover(boolean)
	 * recover(false)}), or throws {@link PageStoreUnavailableException}
	 */
	LostInvalidationRecovery(Runnable clear, Runnable readerClear) {
		this.clear = clear;
		this.readerClear = readerClear;
	}

	/**
	 * Whether a loss is not covered by a clear yet. Two volatile reads: it is on the hit
	 * path.
	 * @return {@code true} if the cache must be cleared before it serves anything
	 */
	boolean isPending() {
		return this.lost > this.covered;
	}

	/**
	 * Count an invalidation or a clear that did not reach Redis.
	 */
	void lost() {
		LOST.incrementAndGet(this);
	}

	/**
	 * Clear now, covering every loss counted before; a clear that fails counts as lost
	 * itself.
	 * @throws PageStoreUnavailableException if the clear failed
	 */
	void clearNow() {
		long before = this.lost;
		try {
			this.clear.run();
		}
		catch (PageStoreUnavailableException ex) {
			lost();
			throw ex;
		}
		markCovered(before);
	}

	/**
	 * Clear the cache if a loss is pending.
	 * @param wait whether to wait for a recovery that another thread is running: a writer
	 * does, and clears as {@link #clearNow()} does; a reader does not, and clears the
	 * reader's way
	 * @return {@code true} once nothing is pending, {@code false} if another thread is
	 * still recovering
	 * @throws PageStoreUnavailableException if Redis cannot be reached
	 */
	boolean recover(boolean wait) {
		if (!isPending()) {
			return true;
		}
		if (wait) {
			this.lock.lock();
		}
		else if (!this.lock.tryLock()) {
			return false;
		}
		try {
			if (isPending()) {
				long before = this.lost;
				(wait ? this.clear : this.readerClear).run();
				markCovered(before);
			}
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void markCovered(long before) {
		COVERED.accumulateAndGet(this, before, Math::max);
	}

}
