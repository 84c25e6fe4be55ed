package dev.pagecache.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;

/**
 * Single flight of the renders of a page: of the requests that miss a page at the same
 * time, one, the <em>leader</em>, renders it, and the others, its <em>followers</em>,
 * wait for its page, bounded, and are served it if, and only if, the store accepted it.
 * <p>
 * Within this instance, a follower waits for the leader's render (at most
 * {@code maxWait}). Across the instances that share the store, the leader of each
 * instance first takes the page's <em>lease</em> in the store ({@link PageStore#lease});
 * while another instance holds it, the leader follows that instance instead (at most the
 * lease), and takes the lease itself as soon as it is given back without a page. A render
 * whose page was refused (an invalidation raced it), not cacheable, or failed leaves its
 * followers to render on their own, and gives the lease back.
 * <p>
 * The flight of a key {@linkplain Flight#land() lands} before its page is put in the
 * store, so that a request arriving after an invalidation that the put could race never
 * joins it: it looks the page up itself. A request that leads a new flight after one
 * landed, while that flight is still storing its page or after it stored it since the
 * request looked the page up, looks the page up again before it renders, so that the
 * window between a lookup and a join does not render a page twice in one instance (the
 * put gives the lease back, so a leader that found no page yet cannot rely on the lease
 * alone).
 *
 * @author pagecache
 */
final class SingleFlight {

	private static final int COMPLETION_SLOTS = 1024;

	/** Every request renders on its own. */
	static final SingleFlight OFF = new SingleFlight(null, Duration.ZERO, Duration.ZERO);

	private final Flight alone = new Flight(Role.ALONE, "", new CompletableFuture<>(), 0);

	private final Map<String, Flight> flights = new ConcurrentHashMap<>();

	/**
	 * When a flight of a key last stored its page, in {@link System#nanoTime()}, by a
	 * slot the key hashes to: keys that share a slot only cost each other a lookup.
	 */
	private final AtomicLongArray completions = new AtomicLongArray(COMPLETION_SLOTS);

	/** Per key-hash slot, how many landed flights are still storing their page. */
	private final AtomicIntegerArray storing = new AtomicIntegerArray(COMPLETION_SLOTS);

	private final @Nullable StoreCalls store;

	private final long maxWaitNanos;

	private final Duration lease;

	/**
	 * Create the single flight of a filter.
	 * @param store the store calls, for leases; {@code null} for single flight off
	 * @param maxWait the longest a follower waits for the leader in this instance
	 * @param lease how long one instance may render a page before others render it too;
	 * zero for no lease
	 */
	SingleFlight(@Nullable StoreCalls store, Duration maxWait, Duration lease) {
		this.store = store;
		this.maxWaitNanos = maxWait.toNanos();
		this.lease = lease;
	}

	/**
	 * Lead the render of a key, or follow the request that leads it; with single flight
	 * off, render alone.
	 * @param key the page key
	 * @param lookupStartedNanos when the caller looked the page up, in
	 * {@link System#nanoTime()}
	 * @return the flight, which says the caller's role
	 */
	Flight join(String key, long lookupStartedNanos) {
		return join(key, lookupStartedNanos, false);
	}

	/**
	 * Lead the render of a key, or follow the request that leads it; with single flight
	 * off, render alone. A refresh leads a flight {@linkplain #reserve(String) reserved}
	 * for it.
	 * @param key the page key
	 * @param lookupStartedNanos when the caller looked the page up, in
	 * {@link System#nanoTime()}
	 * @param refresh whether the caller is a refresh of this instance
	 * @return the flight, which says the caller's role
	 */
	Flight join(String key, long lookupStartedNanos, boolean refresh) {
		if (this.store == null) {
			return this.alone;
		}
		Flight mine = new Flight(Role.LEADER, key, new CompletableFuture<>(), lookupStartedNanos);
		Flight leading = this.flights.putIfAbsent(key, mine);
		if (leading == null || (refresh && leading.adopt())) {
			return (leading != null) ? leading : mine;
		}
		return new Flight(Role.FOLLOWER, key, leading.page, lookupStartedNanos);
	}

	/**
	 * Reserve the render of a key for a refresh on its way: until the refresh leads it,
	 * or the reservation is {@linkplain #cancel(String) cancelled}, requests that miss
	 * the page follow it, as they follow a leader.
	 * @param key the page key
	 * @return whether the key is reserved; not if a flight of it exists, or single flight
	 * is off
	 */
	boolean reserve(String key) {
		if (this.store == null) {
			return false;
		}
		Flight reserved = new Flight(Role.LEADER, key, new CompletableFuture<>(), System.nanoTime());
		reserved.reservation = new AtomicBoolean();
		return this.flights.putIfAbsent(key, reserved) == null;
	}

	/**
	 * Cancel a reservation that no refresh leads yet: its followers render on their own.
	 * @param key the page key
	 */
	void cancel(String key) {
		Flight flight = this.flights.get(key);
		if (flight != null && flight.adopt()) {
			flight.complete(null);
		}
	}

	private static int slot(String key) {
		return Math.floorMod(key.hashCode(), COMPLETION_SLOTS);
	}

	/**
	 * What a request does in a flight.
	 */
	enum Role {

		/** Renders the page, once it holds the lease or no instance has a page. */
		LEADER,

		/** Waits for the leader's page in this instance. */
		FOLLOWER,

		/** Renders the page on its own: single flight is off. */
		ALONE

	}

	/**
	 * One request's part in the render of a page.
	 */
	final class Flight {

		private final Role role;

		private final String key;

		private final CompletableFuture<@Nullable PageEntry> page;

		private final long lookupStartedNanos;

		/** Whether this leader's flight left the map; only its own thread reads it. */
		private boolean landed;

		/**
		 * For a reserved flight, whether a thread took it over (a refresh, or a cancel);
		 * {@code null} for others.
		 */
		private volatile @Nullable AtomicBoolean reservation;

		private Flight(Role role, String key, CompletableFuture<@Nullable PageEntry> page, long lookupStartedNanos) {
			this.role = role;
			this.key = key;
			this.page = page;
			this.lookupStartedNanos = lookupStartedNanos;
		}

		Role role() {
			return this.role;
		}

		/**
		 * Take over a reserved flight, once.
		 * @return whether this caller took it over
		 */
		private boolean adopt() {
			AtomicBoolean reservation = this.reservation;
			return reservation != null && reservation.compareAndSet(false, true);
		}

		boolean isFollower() {
			return this.role == Role.FOLLOWER;
		}

		/**
		 * Wait for a page another request renders: a follower waits for its leader, a
		 * leader takes the lease or waits for the instance that holds it.
		 * @return the page the store accepted, or {@code null} to render it here
		 */
		@Nullable PageEntry awaitPage() {
			return switch (this.role) {
				case FOLLOWER -> awaitLeader();
				case LEADER -> awaitLanded();
				case ALONE -> null;
			};
		}

		/**
		 * End the flight before the page is stored: later requests look it up themselves.
		 * Does nothing but for a leader.
		 */
		void land() {
			if (this.role == Role.LEADER && !this.landed) {
				this.landed = true;
				// counted before it leaves the map: a request that no longer finds the
				// flight sees that its page may be on its way to the store
				SingleFlight.this.storing.incrementAndGet(slot(this.key));
				SingleFlight.this.flights.remove(this.key, this);
			}
		}

		/**
		 * Hand the followers the page the store accepted, or nothing, and give the lease
		 * back if nothing was stored (a stored page gave it back with the put). The lease
		 * is held by the instance, and the leader is the instance's one renderer of the
		 * page: it also gives back a lease that an earlier render here failed to give
		 * back, which would otherwise hold every leader back for its whole duration. Ends
		 * the flight. Does nothing but for a leader.
		 * @param stored the stored page, or {@code null}
		 */
		void complete(@Nullable PageEntry stored) {
			if (this.role != Role.LEADER || this.page.isDone()) {
				return;
			}
			land();
			if (stored == null && !SingleFlight.this.lease.isZero()) {
				SingleFlight.this.store.release(this.key);
			}
			if (stored != null) {
				SingleFlight.this.completions.set(slot(this.key), System.nanoTime());
			}
			// after the completion time: a reader that sees no flight storing reads it
			// next
			SingleFlight.this.storing.decrementAndGet(slot(this.key));
			this.page.complete(stored);
		}

		/**
		 * The page looked up again when a landed flight of the key is still storing it or
		 * stored it after this request looked it up; else, or when the page is gone
		 * again, the lease (the lease holder's page is awaited there).
		 */
		private @Nullable PageEntry awaitLanded() {
			int slot = slot(this.key);
			// a flight storing now may have given the lease back with its put already
			boolean storing = SingleFlight.this.storing.get(slot) > 0;
			long stored = SingleFlight.this.completions.get(slot);
			if (!storing && (stored == 0 || stored - this.lookupStartedNanos < 0)) {
				return awaitLeaseHolder();
			}
			PageLookup lookup = SingleFlight.this.store.lookup(this.key);
			PageEntry entry = (lookup != null) ? lookup.entry() : null;
			if (entry != null) {
				complete(entry);
				return entry;
			}
			return awaitLeaseHolder();
		}

		private @Nullable PageEntry awaitLeader() {
			try {
				return this.page.get(SingleFlight.this.maxWaitNanos, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (ExecutionException | TimeoutException ex) {
				return null;
			}
		}

		/**
		 * Take the lease; while another instance holds it, poll, at most the lease, for
		 * its page, and take the lease as soon as it is given back without one.
		 */
		private @Nullable PageEntry awaitLeaseHolder() {
			Duration lease = SingleFlight.this.lease;
			StoreCalls store = SingleFlight.this.store;
			if (lease.isZero() || store.lease(this.key, lease)) {
				return null;
			}
			long deadline = System.nanoTime() + lease.toNanos();
			long pause = 5;
			while (System.nanoTime() - deadline < 0) {
				if (!sleep(pause)) {
					return null;
				}
				pause = Math.min(pause * 2, 50);
				PageLookup lookup = store.lookup(this.key);
				// a store that fails would only add its delay to the wait: render here
				if (lookup == null) {
					return null;
				}
				PageEntry entry = lookup.entry();
				if (entry != null) {
					complete(entry);
					return entry;
				}
				if (store.lease(this.key, lease)) {
					return null;
				}
			}
			return null;
		}

	}

	private static boolean sleep(long millis) {
		try {
			Thread.sleep(millis);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
