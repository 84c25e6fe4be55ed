package dev.pagecache.web;

import java.time.Duration;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The responses of this instance that may reach the edge as shared pages and are still on
 * their way: a hit from its lookup until its bytes are handed to the network, a render
 * from its store until then. With {@code pagecache.edge.enabled}, an invalidation returns
 * once those that began before it are on the network (bounded), so that a page read or
 * stored before an invalidation is at the edge before the purge that drops it is sent,
 * rather than arriving after it and staying there.
 * <p>
 * A render that stores after the invalidation needs no waiting for: the store refuses a
 * page whose tags moved while it rendered (and it is then not shared). What this cannot
 * see, responses of other instances in flight, the second purge after
 * {@code pagecache.edge.repurge-delay} covers.
 *
 * @author pagecache
 */
final class InFlightResponses {

	private static final long PAUSE_NANOS = Duration.ofMillis(1).toNanos();

	private final AtomicLong tickets = new AtomicLong();

	private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();

	/**
	 * A response begins: call before its lookup (a hit) or its store (a render).
	 * @return its ticket, for {@link #exit(long)}
	 */
	long enter() {
		long ticket = this.tickets.incrementAndGet();
		this.open.add(ticket);
		return ticket;
	}

	/**
	 * A response has been handed to the network, or will not be shared.
	 * @param ticket what {@link #enter()} returned
	 */
	void exit(long ticket) {
		this.open.remove(ticket);
	}

	/**
	 * Wait until every response that entered before now has exited.
	 * @param timeout the longest wait
	 * @return whether it waited for any (it may have timed out)
	 */
	boolean awaitEarlier(Duration timeout) {
		long mark = this.tickets.get();
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean waited = false;
		while (true) {
			Long first = this.open.isEmpty() ? null : this.open.ceiling(0L);
			if (first == null || first > mark || System.nanoTime() - deadline > 0) {
				return waited;
			}
			waited = true;
			LockSupport.parkNanos(PAUSE_NANOS);
		}
	}

}
