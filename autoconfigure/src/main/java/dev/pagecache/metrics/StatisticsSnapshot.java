package dev.pagecache.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.StatisticsListener.NotStoredReason;

/**
 * The statistics of the page cache at one moment, of one instance or of the fleet: counts
 * per page, invalidations in total and by entity type.
 * <p>
 * As a map ({@link #toMap()}), each statistic is named {@code <statistic>|<page>} (or
 * {@code invalidations|<type>}, and {@code invalidations} for the total), the form in
 * which instances add them up in a {@link dev.pagecache.store.FleetStatisticsStore}.
 *
 * @param pages the statistics of each page, by URL pattern, sorted
 * @param invalidations the invalidations (one per call that invalidates tags, or clears)
 * @param invalidationsByType the invalidations that concerned each entity type, sorted by
 * type
 * @author pagecache
 */
public record StatisticsSnapshot(List<PageStatistics> pages, long invalidations,
		Map<String, Long> invalidationsByType) {

	private static final char SEPARATOR = '|';

	private static final String INVALIDATIONS = "invalidations";

	/**
	 * The names of a page's statistics, in the order of {@link PageStatistics#values()}:
	 * its components, then {@code notStored.<reason>} for each reason.
	 */
	private static final List<String> NAMES = names();

	public StatisticsSnapshot {
		pages = List.copyOf(pages);
		invalidationsByType = Collections.unmodifiableMap(new LinkedHashMap<>(invalidationsByType));
	}

	/**
	 * All pages together.
	 * @return the sums, named {@code *}
	 */
	public PageStatistics totals() {
		PageStatistics totals = PageStatistics.empty("*");
		for (PageStatistics page : this.pages) {
			totals = totals.plus("*", page);
		}
		return totals;
	}

	/**
	 * The statistics of one page.
	 * @param page the page's URL pattern
	 * @return the statistics, or {@code null} if the page has none
	 */
	public @Nullable PageStatistics page(String page) {
		for (PageStatistics statistics : this.pages) {
			if (statistics.page().equals(page)) {
				return statistics;
			}
		}
		return null;
	}

	/**
	 * The statistics by name, zeros left out.
	 * @return the named statistics
	 */
	Map<String, Long> toMap() {
		Map<String, Long> named = new LinkedHashMap<>();
		for (PageStatistics page : this.pages) {
			String suffix = SEPARATOR + page.page();
			long[] values = page.values();
			for (int i = 0; i < NAMES.size(); i++) {
				put(named, NAMES.get(i) + suffix, values[i]);
			}
		}
		put(named, INVALIDATIONS, this.invalidations);
		this.invalidationsByType.forEach((type, count) -> put(named, INVALIDATIONS + SEPARATOR + type, count));
		return named;
	}

	/**
	 * Statistics from their names, as {@link #toMap()} writes them; unknown names are
	 * ignored.
	 * @param named the statistics by name
	 * @return the snapshot
	 */
	static StatisticsSnapshot fromMap(Map<String, Long> named) {
		Map<String, long[]> pages = new TreeMap<>();
		Map<String, Long> byType = new TreeMap<>();
		long invalidations = 0;
		for (Map.Entry<String, Long> statistic : named.entrySet()) {
			String name = statistic.getKey();
			long value = statistic.getValue();
			int separator = name.indexOf(SEPARATOR);
			if (separator < 0) {
				invalidations += name.equals(INVALIDATIONS) ? value : 0;
				continue;
			}
			String kind = name.substring(0, separator);
			String subject = name.substring(separator + 1);
			if (kind.equals(INVALIDATIONS)) {
				byType.merge(subject, value, Long::sum);
				continue;
			}
			int index = NAMES.indexOf(kind);
			if (index >= 0) {
				pages.computeIfAbsent(subject, (page) -> new long[NAMES.size()])[index] += value;
			}
		}
		List<PageStatistics> statistics = new ArrayList<>();
		pages.forEach((page, values) -> statistics.add(PageStatistics.of(page, values)));
		return new StatisticsSnapshot(statistics, invalidations, byType);
	}

	private static List<String> names() {
		List<String> names = new ArrayList<>(List.of("hits", "misses.first", "misses.invalidated", "misses.expired",
				"misses.evicted", "stores", "bypasses", "renders", "renderNanos"));
		for (NotStoredReason reason : NotStoredReason.values()) {
			names.add("notStored." + reason.tagValue());
		}
		return List.copyOf(names);
	}

	private static void put(Map<String, Long> named, String name, long value) {
		if (value != 0) {
			named.put(name, value);
		}
	}

}
