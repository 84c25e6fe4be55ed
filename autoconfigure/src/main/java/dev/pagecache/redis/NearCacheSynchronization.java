package dev.pagecache.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.pagecache.redis.NearCacheMessage.Clear;
import dev.pagecache.redis.NearCacheMessage.Invalidation;
import dev.pagecache.redis.NearCacheMessage.Ping;

/**
 * The state machine that keeps a near cache fresh: its <em>position</em> (the counter
 * value of the last invalidation applied and the epoch) and its <em>trust</em> (until
 * when it may serve), moved only by the messages of the channel. Pure: it does no I/O and
 * reads no clock; times are {@link System#nanoTime()} values passed in.
 * <ul>
 * <li><b>In step</b>: an invalidation whose counter value follows the position, in the
 * same epoch, drops the pages of its tags and advances the position.</li>
 * <li><b>Gap or new epoch</b>: any other invalidation, a clear, or a ping whose counter
 * or epoch differs from the position, drops every page and takes the message's position
 * (a <em>flush</em>).</li>
 * <li><b>Trust</b>: a ping this instance sent, arriving behind every invalidation
 * published before it, trusts the cache until the ping's sending time plus the
 * registration; a ping that shows Redis without an epoch ends trust and flushes.</li>
 * <li><b>Silence</b>: without its own pings, trust runs out at that time and the cache is
 * bypassed; the next ping either resumes it or, after a gap, flushes it.</li>
 * <li><b>Malformed message</b>: flushed and without a position, so that nothing is held
 * until a message brings one.</li>
 * </ul>
 * A page is kept only if the position has not moved past the lookup that read it. One
 * monitor, this object's, guards the position and the {@link NearCacheEntries}; this
 * class calls out to nothing while holding it, so it takes part in no lock order.
 *
 * @author pagecache
 */
final class NearCacheSynchronization {

	private final String instance;

	private final long registrationNanos;

	private final NearCacheEntries entries;

	/** The counter value of the last invalidation applied; -1 when unknown. */
	private long applied = -1;

	/** The epoch of the pages held; {@code null} when unknown. */
	private @Nullable String epoch;

	private volatile boolean trusted;

	/** Until when (on {@link System#nanoTime()}) pages may be served. */
	private volatile long trustedUntil;

	/**
	 * The last invalidation a writer here was told it need not wait for because the cache
	 * was not trusted, and its epoch: a ping sent before it must not restore trust before
	 * the invalidation itself arrives, which follows that ping on the channel.
	 */
	private long trustFloor = -1;

	private @Nullable String trustFloorEpoch;

	/** The pings this instance sent and has not heard back, by number: when sent. */
	private final Map<Long, Long> pings = new ConcurrentHashMap<>();

	private final AtomicLong pingNumbers = new AtomicLong();

	private final LongAdder flushes = new LongAdder();

	NearCacheSynchronization(String instance, long registrationNanos, NearCacheEntries entries) {
		this.instance = instance;
		this.registrationNanos = registrationNanos;
		this.entries = entries;
	}

	/**
	 * Whether pages may be served now. Lock-free: it is on the hit path.
	 * @param now the current {@link System#nanoTime()}
	 * @return {@code true} while trusted
	 */
	boolean trusts(long now) {
		if (!this.trusted) {
			return false;
		}
		if (now - this.trustedUntil >= 0) {
			this.trusted = false;
			return false;
		}
		return true;
	}

	/**
	 * Keep a page read at a position, unless the position here has moved past it.
	 * @param entry the page
	 * @param sequence the counter value read with it
	 * @param epoch the epoch read with it
	 * @param now the current {@link System#nanoTime()}
	 * @return whether the page is kept
	 */
	synchronized boolean offer(NearCacheEntry entry, long sequence, @Nullable String epoch, long now) {
		if (this.applied < 0 || this.applied > sequence || this.epoch == null || !this.epoch.equals(epoch)) {
			return false;
		}
		this.entries.put(entry, now);
		return true;
	}

	synchronized void remove(String key) {
		this.entries.remove(key);
	}

	/**
	 * Whether an invalidation is applied here, or no page may be served anyway.
	 * @param sequence the invalidation's counter value
	 * @param epoch the epoch it was published with
	 * @param now the current {@link System#nanoTime()}
	 * @return {@code true} if no page it dropped can be served here
	 */
	synchronized boolean hasApplied(long sequence, String epoch, long now) {
		if (epoch.equals(this.epoch) && this.applied >= sequence) {
			return true;
		}
		if (trusts(now)) {
			return false;
		}
		if (!epoch.equals(this.trustFloorEpoch) || sequence > this.trustFloor) {
			this.trustFloor = sequence;
			this.trustFloorEpoch = epoch;
		}
		return true;
	}

	/**
	 * The position to acknowledge.
	 * @return the position, or {@code null} when there is none
	 */
	synchronized @Nullable Acknowledgement acknowledgement() {
		return (this.epoch != null) ? new Acknowledgement(this.applied, this.epoch) : null;
	}

	/**
	 * Number a ping about to be sent and remember when; forget pings older than the
	 * registration, which can no longer extend trust.
	 * @param now the current {@link System#nanoTime()}
	 * @return the ping's number
	 */
	long nextPing(long now) {
		long number = this.pingNumbers.incrementAndGet();
		this.pings.put(number, now);
		this.pings.values().removeIf((sentAt) -> now - sentAt > this.registrationNanos);
		return number;
	}

	void apply(NearCacheMessage message) {
		if (message instanceof Invalidation invalidation) {
			apply(invalidation);
		}
		else if (message instanceof Clear clear) {
			synchronized (this) {
				moveTo(clear.sequence(), clear.epoch());
			}
		}
		else if (message instanceof Ping ping) {
			apply(ping);
		}
	}

	private synchronized void apply(Invalidation invalidation) {
		if (invalidation.sequence() != this.applied + 1 || !invalidation.epoch().equals(this.epoch)) {
			moveTo(invalidation.sequence(), invalidation.epoch());
		}
		else {
			this.entries.removeTagged(invalidation.tags());
			this.applied = invalidation.sequence();
		}
	}

	private void apply(Ping ping) {
		Long sentAt = this.instance.equals(ping.instance()) ? this.pings.remove(ping.number()) : null;
		synchronized (this) {
			if (!ping.hasState()) {
				moveTo(-1, null);
				this.trusted = false;
				return;
			}
			if (ping.sequence() != this.applied || !ping.epoch().equals(this.epoch)) {
				moveTo(ping.sequence(), ping.epoch());
			}
			if (sentAt != null && !sentBeforeTheTrustFloor(ping)) {
				long until = sentAt + this.registrationNanos;
				if (!this.trusted || until - this.trustedUntil > 0) {
					this.trustedUntil = until;
				}
				this.trusted = true;
			}
		}
	}

	private boolean sentBeforeTheTrustFloor(Ping ping) {
		return ping.epoch().equals(this.trustFloorEpoch) && ping.sequence() < this.trustFloor;
	}

	/**
	 * A message could not be read, so which invalidation it carried is unknown; or the
	 * store was cleared by a reader that does not wait for the clear's message.
	 */
	synchronized void lostMessage() {
		moveTo(-1, null);
	}

	/**
	 * Stop serving and forget everything, as when the channel stops.
	 */
	synchronized void reset() {
		this.trusted = false;
		moveTo(-1, null);
	}

	long flushes() {
		return this.flushes.sum();
	}

	/** Drop every page and continue from a position. Called with the monitor held. */
	private void moveTo(long sequence, @Nullable String epoch) {
		if (this.entries.clear()) {
			this.flushes.increment();
		}
		this.applied = sequence;
		this.epoch = epoch;
	}

}
