package dev.pagecache.actuate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.pagecache.actuate.PageCacheEndpoint.InvalidationsDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.MissesDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.StatisticsDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TotalsDescriptor;
import dev.pagecache.metrics.PageStatistics;
import dev.pagecache.metrics.StatisticsSnapshot;
import dev.pagecache.store.PageStore.PageCount;

/**
 * The endpoint's descriptors of statistics: ratios to four decimals, times in
 * milliseconds to the microsecond.
 *
 * @author pagecache
 */
final class Descriptors {

	private Descriptors() {
	}

	/**
	 * Describe a snapshot.
	 * @param snapshot the statistics
	 * @param entries the number of pages of each route in the store; a route without one
	 * (or with {@code null}) makes the total unknown too, an estimated one makes it an
	 * estimate
	 * @param reader who reads it
	 * @return the descriptor
	 */
	static StatisticsDescriptor statistics(StatisticsSnapshot snapshot, Map<String, @Nullable PageCount> entries,
			EndpointReader reader) {
		List<PageDescriptor> pages = new ArrayList<>();
		@Nullable PageCount totalEntries = PageCount.exact(0);
		double savedRenderMillis = 0;
		for (PageStatistics page : snapshot.pages()) {
			PageCount pageEntries = entries.get(page.page());
			PageDescriptor descriptor = page(page, pageEntries);
			pages.add(descriptor);
			savedRenderMillis += descriptor.savedRenderMillis();
			totalEntries = (totalEntries != null && pageEntries != null) ? sum(totalEntries, pageEntries) : null;
		}
		PageStatistics totals = snapshot.totals();
		// the time saved is the sum of the rows, each page's hits at that page's average
		// render, not all hits at the average of all renders
		TotalsDescriptor totalsDescriptor = new TotalsDescriptor(totals.hits(), totals.misses(),
				ratio(totals.hitRatio()), totals.stores(), totals.notStored(), notStored(totals),
				snapshot.invalidations(), count(totalEntries), estimated(totalEntries), misses(totals),
				totals.bypasses(), Math.round(savedRenderMillis * 1_000) / 1_000.0);
		List<InvalidationsDescriptor> byType = new ArrayList<>();
		reader.invalidationsByType(snapshot.invalidationsByType())
			.forEach((type, count) -> byType.add(new InvalidationsDescriptor(type, count)));
		return new StatisticsDescriptor(totalsDescriptor, pages, byType);
	}

	/**
	 * Describe one page.
	 * @param page the page's statistics
	 * @param entries the number of pages of its route in the store, or {@code null} if
	 * unknown
	 * @return the descriptor
	 */
	static PageDescriptor page(PageStatistics page, @Nullable PageCount entries) {
		return new PageDescriptor(page.page(), page.hits(), page.misses(), ratio(page.hitRatio()), misses(page),
				millis(page.averageRenderNanos()), millis(page.savedRenderNanos()), page.stores(), page.notStored(),
				notStored(page), page.bypasses(), count(entries), estimated(entries));
	}

	private static PageCount sum(PageCount first, PageCount second) {
		return new PageCount(first.entries() + second.entries(), first.estimated() || second.estimated());
	}

	private static @Nullable Long count(@Nullable PageCount count) {
		return (count != null) ? count.entries() : null;
	}

	private static boolean estimated(@Nullable PageCount count) {
		return count != null && count.estimated();
	}

	private static MissesDescriptor misses(PageStatistics page) {
		return new MissesDescriptor(page.firstMisses(), page.invalidatedMisses(), page.expiredMisses(),
				page.evictedMisses());
	}

	/**
	 * The renders not stored by reason, in the order of the reasons, without zeros.
	 */
	private static Map<String, Long> notStored(PageStatistics page) {
		Map<String, Long> byReason = new LinkedHashMap<>();
		page.notStoredByReason().forEach((reason, count) -> byReason.put(reason.tagValue(), count));
		return Collections.unmodifiableMap(byReason);
	}

	private static double ratio(double ratio) {
		return Math.round(ratio * 10_000) / 10_000.0;
	}

	private static double millis(double nanos) {
		return Math.round(nanos / 1_000) / 1_000.0;
	}

}
