package dev.pagecache.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.metrics.PageStatistics;
import dev.pagecache.metrics.StatisticsSnapshot;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStore.PageCount;

import org.springframework.util.Assert;

/**
 * The number of pages each route has in the store, counted with
 * {@link PageStore#countTagged(String)} on the route's tag and kept for reads that
 * follow.
 * <p>
 * A count costs the store a bounded amount of work whatever the route's number of pages
 * (in Redis, one Lua script that checks at most 32 of them and estimates beyond), but a
 * read of the endpoint may need one per route and a client may read it in a loop. So a
 * read recounts only the routes whose count may have changed: those whose change stamp
 * moved (the caller derives it from the routes' stores and the invalidations, which are
 * the only local causes of change) and whose count is at least {@code minAge} old, and
 * those counted more than {@code maxAge} ago (expiry, eviction and other instances change
 * counts unseen). A read recounts at most {@code maxCountsPerRead} routes, those never
 * counted and then the oldest first; the others keep their last count until a later read.
 * So a route is counted at most once per {@code minAge}, however often the endpoint is
 * read. When a count fails, the routes left to count are unknown ({@code null}) and no
 * more are counted. Concurrent reads wait for each other rather than count the same
 * routes twice.
 *
 * @author pagecache
 */
final class EntryCounts {

	/** How long a count is used even though something that could change it happened. */
	static final Duration DEFAULT_MIN_AGE = Duration.ofSeconds(1);

	/** How long a count is used while nothing that could change it happened. */
	static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(10);

	/** The most routes one read counts. */
	static final int DEFAULT_MAX_COUNTS_PER_READ = 16;

	private final PageStore store;

	private final Clock clock;

	private final long minAgeMillis;

	private final long maxAgeMillis;

	private final int maxCountsPerRead;

	private final Map<String, Count> counts = new HashMap<>();

	/**
	 * Create counts with their defaults.
	 * @param store the store to count in
	 */
	EntryCounts(PageStore store) {
		this(store, Clock.systemUTC(), DEFAULT_MIN_AGE, DEFAULT_MAX_AGE, DEFAULT_MAX_COUNTS_PER_READ);
	}

	/**
	 * Create counts.
	 * @param store the store to count in
	 * @param clock the clock for their age
	 * @param minAge how long a count is used even when its stamp moved
	 * @param maxAge how long a count is used while its stamp stays the same
	 * @param maxCountsPerRead the most routes one read counts
	 */
	EntryCounts(PageStore store, Clock clock, Duration minAge, Duration maxAge, int maxCountsPerRead) {
		Assert.isTrue(maxCountsPerRead > 0, "'maxCountsPerRead' must be positive");
		Assert.isTrue(minAge.compareTo(maxAge) <= 0, "'minAge' must not exceed 'maxAge'");
		this.store = store;
		this.clock = clock;
		this.minAgeMillis = minAge.toMillis();
		this.maxAgeMillis = maxAge.toMillis();
		this.maxCountsPerRead = maxCountsPerRead;
	}

	/**
	 * The number of pages of each route, recounted where needed.
	 * @param stamps the routes to count, each with a number that changes whenever its
	 * count may have changed
	 * @return the counts (or estimates) by route; {@code null} for a route not yet
	 * counted or whose count failed (the store could not be reached)
	 */
	synchronized Map<String, @Nullable PageCount> read(Map<String, Long> stamps) {
		long now = this.clock.millis();
		Map<String, @Nullable PageCount> entries = new HashMap<>();
		List<String> stale = new ArrayList<>();
		stamps.forEach((route, stamp) -> {
			Count count = this.counts.get(route);
			entries.put(route, (count != null) ? count.entries() : null);
			if (count == null || isStale(count, stamp, now - count.countedAt())) {
				stale.add(route);
			}
		});
		stale.sort(Comparator.comparingLong(this::countedAt));
		recount(stale.subList(0, Math.min(stale.size(), this.maxCountsPerRead)), stamps, now, entries);
		return entries;
	}

	private boolean isStale(Count count, long stamp, long age) {
		return age >= this.maxAgeMillis || (count.stamp() != stamp && age >= this.minAgeMillis);
	}

	private void recount(List<String> routes, Map<String, Long> stamps, long now,
			Map<String, @Nullable PageCount> entries) {
		for (int i = 0; i < routes.size(); i++) {
			String route = routes.get(i);
			PageCount counted = count(route);
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

	private @Nullable PageCount count(String route) {
		try {
			return this.store.countTagged(PageTags.route(route));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private record Count(PageCount entries, long stamp, long countedAt) {

	}

	/**
	 * For each page, a number that grows whenever its number of entries may have changed
	 * because of something the statistics saw: a store of the page, or an invalidation,
	 * on this instance or (once added up) on another. Each is a sum of counts that only
	 * grow, so it moves when any of them does.
	 * @param instance this instance's statistics
	 * @param fleet the fleet's, or {@code null}
	 * @return the stamp of each page
	 */
	static Map<String, Long> changeStamps(StatisticsSnapshot instance, @Nullable StatisticsSnapshot fleet) {
		Map<String, Long> stamps = new TreeMap<>();
		long invalidations = instance.invalidations();
		for (PageStatistics page : instance.pages()) {
			stamps.merge(page.page(), page.stores(), Long::sum);
		}
		if (fleet != null) {
			invalidations += fleet.invalidations();
			for (PageStatistics page : fleet.pages()) {
				stamps.merge(page.page(), page.stores(), Long::sum);
			}
		}
		long allInvalidations = invalidations;
		stamps.replaceAll((page, stores) -> stores + allInvalidations);
		return stamps;
	}

}
