package dev.pagecache.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.store.PageStore;

import org.springframework.util.Assert;

/**
 * The number of pages each route has in the store, counted with
 * {@link PageStore#countTagged(String)} on the route's tag and kept for reads that
 * follow.
 * <p>
 * Counting a route costs the store a scan of the route's index (in Redis, one Lua script
 * that checks every member, at most {@code pagecache.redis.max-pages-per-route}), so a
 * read recounts only the routes whose count may have changed: those whose change stamp
 * moved (the caller derives it from the routes' stores and the invalidations, which are
 * the only local causes of change), and those counted more than {@code maxAge} ago
 * (expiry, eviction and other instances change counts unseen). A read recounts at most
 * {@code maxCountsPerRead} routes, those never counted and then the oldest first; the
 * others keep their last count until a later read. When a count fails, the routes left to
 * count are unknown ({@code null}) and no more are counted. Concurrent reads wait for
 * each other rather than count the same routes twice.
 *
 * @author pagecache
 */
final class EntryCounts {

	/** How long a count is used while nothing that could change it happened. */
	static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(10);

	/** The most routes one read counts. */
	static final int DEFAULT_MAX_COUNTS_PER_READ = 16;

	private final PageStore store;

	private final Clock clock;

	private final long maxAgeMillis;

	private final int maxCountsPerRead;

	private final Map<String, Count> counts = new HashMap<>();

	/**
	 * Create counts with their defaults.
	 * @param store the store to count in
	 */
	EntryCounts(PageStore store) {
		this(store, Clock.systemUTC(), DEFAULT_MAX_AGE, DEFAULT_MAX_COUNTS_PER_READ);
	}

	/**
	 * Create counts.
	 * @param store the store to count in
	 * @param clock the clock for their age
	 * @param maxAge how long a count is used while its stamp stays the same
	 * @param maxCountsPerRead the most routes one read counts
	 */
	EntryCounts(PageStore store, Clock clock, Duration maxAge, int maxCountsPerRead) {
		Assert.isTrue(maxCountsPerRead > 0, "'maxCountsPerRead' must be positive");
		this.store = store;
		this.clock = clock;
		this.maxAgeMillis = maxAge.toMillis();
		this.maxCountsPerRead = maxCountsPerRead;
	}

	/**
	 * The number of pages of each route, recounted where needed.
	 * @param stamps the routes to count, each with a number that changes whenever its
	 * count may have changed
	 * @return the counts by route; {@code null} for a route not yet counted or whose
	 * count failed (the store could not be reached)
	 */
	synchronized Map<String, @Nullable Long> read(Map<String, Long> stamps) {
		long now = this.clock.millis();
		Map<String, @Nullable Long> entries = new HashMap<>();
		List<String> stale = new ArrayList<>();
		stamps.forEach((route, stamp) -> {
			Count count = this.counts.get(route);
			entries.put(route, (count != null) ? count.entries() : null);
			if (count == null || count.stamp() != stamp || now - count.countedAt() >= this.maxAgeMillis) {
				stale.add(route);
			}
		});
		stale.sort(Comparator.comparingLong(this::countedAt));
		recount(stale.subList(0, Math.min(stale.size(), this.maxCountsPerRead)), stamps, now, entries);
		return entries;
	}

	private void recount(List<String> routes, Map<String, Long> stamps, long now, Map<String, @Nullable Long> entries) {
		for (int i = 0; i < routes.size(); i++) {
			String route = routes.get(i);
			Long counted = count(route);
			if (counted == null) {
				// the store stopped answering: what it would say now is unknown
				routes.subList(i, routes.size()).forEach((unknown) -> {
					this.counts.remove(unknown);
					entries.put(unknown, null);
				});
				return;
			}
			entries.put(route, counted);
			this.counts.put(route, new Count(counted, stamps.get(route), now));
		}
	}

	private long countedAt(String route) {
		Count count = this.counts.get(route);
		return (count != null) ? count.countedAt() : Long.MIN_VALUE;
	}

	private @Nullable Long count(String route) {
		try {
			return this.store.countTagged(PageTags.route(route));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private record Count(long entries, long stamp, long countedAt) {

	}

}
