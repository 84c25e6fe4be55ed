package dev.pagecache.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;

/**
 * Single flight of renders in one instance: while a page is rendered after a miss, other
 * requests for the same key wait for that render (bounded) instead of rendering it too,
 * and are served its page if, and only if, the store accepted it. A render whose page was
 * refused (an invalidation raced it), not cacheable, or failed leaves its followers to
 * render on their own.
 * <p>
 * The flight of a key ends before its page is put in the store, so that a request
 * arriving after an invalidation that the put could race never joins it: it looks the
 * page up itself.
 *
 * @author pagecache
 */
final class RenderFlights {

	private final Map<String, Flight> flights = new ConcurrentHashMap<>();

	private final long maxWaitNanos;

	/**
	 * Create the flights.
	 * @param maxWait the longest a request waits for another's render
	 */
	RenderFlights(Duration maxWait) {
		this.maxWaitNanos = maxWait.toNanos();
	}

	/**
	 * Lead the render of a key, or join the render that leads it.
	 * @param key the page key
	 * @return the flight, which says whether the caller leads
	 */
	Flight join(String key) {
		Flight mine = new Flight(this, key, true);
		Flight leading = this.flights.putIfAbsent(key, mine);
		return (leading != null) ? leading.follower() : mine;
	}

	/**
	 * One render and the requests that wait for it.
	 */
	static final class Flight {

		private final RenderFlights flights;

		private final String key;

		private final boolean leader;

		private final CompletableFuture<@Nullable PageEntry> page;

		private Flight(RenderFlights flights, String key, boolean leader) {
			this(flights, key, leader, new CompletableFuture<>());
		}

		private Flight(RenderFlights flights, String key, boolean leader, CompletableFuture<@Nullable PageEntry> page) {
			this.flights = flights;
			this.key = key;
			this.leader = leader;
			this.page = page;
		}

		private Flight follower() {
			return new Flight(this.flights, this.key, false, this.page);
		}

		boolean isLeader() {
			return this.leader;
		}

		/**
		 * End the flight before the page is stored: later requests look it up themselves.
		 * Leader only.
		 */
		void land() {
			this.flights.flights.remove(this.key, this);
		}

		/**
		 * Hand the followers the page the store accepted, or nothing. Leader only; ends
		 * the flight too.
		 * @param stored the stored page, or {@code null}
		 */
		void complete(@Nullable PageEntry stored) {
			land();
			this.page.complete(stored);
		}

		/**
		 * Wait for the leader's page. Follower only.
		 * @return the page the store accepted, or {@code null} if there is none within
		 * the wait
		 */
		@Nullable PageEntry await() {
			try {
				return this.page.get(this.flights.maxWaitNanos, TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
			catch (ExecutionException | TimeoutException ex) {
				return null;
			}
		}

	}

}
