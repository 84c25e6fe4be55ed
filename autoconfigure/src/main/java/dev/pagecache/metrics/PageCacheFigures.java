package dev.pagecache.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The figures of the page cache at one moment, of one instance or of the fleet: counts
 * per page, invalidations in total and by entity type.
 * <p>
 * As counters, each figure is named {@code <counter>|<page>} (or
 * {@code invalidations|<type>}, and {@code invalidations} for the total), the form in
 * which instances add them up in a shared store.
 *
 * @param pages the counts of each page, by URL pattern, sorted
 * @param invalidations the invalidations (one per call that invalidates tags, or clears)
 * @param invalidationsByType the invalidations that concerned each entity type, sorted by
 * type
 * @author pagecache
 */
public record PageCacheFigures(List<PageFigures> pages, long invalidations, Map<String, Long> invalidationsByType) {

	private static final char SEPARATOR = '|';

	private static final String INVALIDATIONS = "invalidations";

	/** The counters of a page, in the order of {@link PageFigures}' components. */
	private static final List<String> COUNTERS = List.of("hits", "misses.first", "misses.invalidated", "misses.expired",
			"misses.evicted", "stores", "bypasses", "renders", "renderNanos");

	public PageCacheFigures {
		pages = List.copyOf(pages);
		invalidationsByType = Collections.unmodifiableMap(new LinkedHashMap<>(invalidationsByType));
	}

	/**
	 * All pages together.
	 * @return the sums, named {@code *}
	 */
	public PageFigures totals() {
		PageFigures totals = PageFigures.empty("*");
		for (PageFigures page : this.pages) {
			totals = totals.plus("*", page);
		}
		return totals;
	}

	/**
	 * The counts of one page.
	 * @param page the page's URL pattern
	 * @return the counts, or {@code null} if the page has none
	 */
	public @Nullable PageFigures page(String page) {
		for (PageFigures figures : this.pages) {
			if (figures.page().equals(page)) {
				return figures;
			}
		}
		return null;
	}

	/**
	 * The figures as named counters, zeros left out.
	 * @return the counters
	 */
	public Map<String, Long> counters() {
		Map<String, Long> counters = new LinkedHashMap<>();
		for (PageFigures page : this.pages) {
			String suffix = SEPARATOR + page.page();
			put(counters, "hits" + suffix, page.hits());
			put(counters, "misses.first" + suffix, page.firstMisses());
			put(counters, "misses.invalidated" + suffix, page.invalidatedMisses());
			put(counters, "misses.expired" + suffix, page.expiredMisses());
			put(counters, "misses.evicted" + suffix, page.evictedMisses());
			put(counters, "stores" + suffix, page.stores());
			put(counters, "bypasses" + suffix, page.bypasses());
			put(counters, "renders" + suffix, page.renders());
			put(counters, "renderNanos" + suffix, page.renderNanos());
		}
		put(counters, INVALIDATIONS, this.invalidations);
		this.invalidationsByType.forEach((type, count) -> put(counters, INVALIDATIONS + SEPARATOR + type, count));
		return counters;
	}

	/**
	 * Figures from named counters, as {@link #counters()} writes them; unknown names are
	 * ignored.
	 * @param counters the counters
	 * @return the figures
	 */
	public static PageCacheFigures fromCounters(Map<String, Long> counters) {
		Map<String, long[]> pages = new TreeMap<>();
		Map<String, Long> byType = new TreeMap<>();
		long invalidations = 0;
		for (Map.Entry<String, Long> counter : counters.entrySet()) {
			String name = counter.getKey();
			long value = counter.getValue();
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
			int index = COUNTERS.indexOf(kind);
			if (index >= 0) {
				pages.computeIfAbsent(subject, (page) -> new long[COUNTERS.size()])[index] += value;
			}
		}
		List<PageFigures> figures = new ArrayList<>();
		pages.forEach(
				(page, c) -> figures.add(new PageFigures(page, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])));
		return new PageCacheFigures(figures, invalidations, byType);
	}

	private static void put(Map<String, Long> counters, String name, long value) {
		if (value != 0) {
			counters.put(name, value);
		}
	}

}
