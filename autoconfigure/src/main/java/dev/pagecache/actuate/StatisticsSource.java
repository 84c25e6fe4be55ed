package dev.pagecache.actuate;

import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.pagecache.metrics.FleetStatistics;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.metrics.StatisticsSnapshot;

/**
 * Where the endpoint and the dashboard's history read statistics: this instance's, and
 * the fleet's when the store is shared and answers.
 *
 * @author pagecache
 */
final class StatisticsSource {

	private final PageCacheStatistics statistics;

	private final @Nullable FleetStatistics fleet;

	/**
	 * Read statistics.
	 * @param statistics this instance's statistics
	 * @param fleet the fleet's statistics, or {@code null} without a shared store
	 */
	StatisticsSource(PageCacheStatistics statistics, @Nullable FleetStatistics fleet) {
		this.statistics = statistics;
		this.fleet = fleet;
	}

	/**
	 * This instance's statistics now.
	 * @return the statistics
	 */
	StatisticsSnapshot instance() {
		return this.statistics.snapshot();
	}

	/**
	 * Whether there is a fleet: the store is shared.
	 * @return {@code true} with a shared store
	 */
	boolean hasFleet() {
		return this.fleet != null && this.fleet.isShared();
	}

	/**
	 * The fleet's statistics now, this instance's latest counts included.
	 * @return the statistics, or {@code null} without a shared store or when it cannot be
	 * reached
	 */
	@Nullable StatisticsSnapshot fleet() {
		if (this.fleet == null || !this.fleet.isShared()) {
			return null;
		}
		try {
			return this.fleet.snapshot();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The URL patterns of the pages this instance or the fleet has statistics of.
	 * @return the patterns, sorted
	 */
	Set<String> pages() {
		Set<String> pages = new TreeSet<>();
		instance().pages().forEach((page) -> pages.add(page.page()));
		StatisticsSnapshot fleet = fleet();
		if (fleet != null) {
			fleet.pages().forEach((page) -> pages.add(page.page()));
		}
		return pages;
	}

}
