package dev.pagecache.store;

import java.util.Map;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A page store that takes part in the page cache's statistics: it reports its
 * invalidations to a {@link StatisticsListener}, remembers why pages went so that lookups
 * say why they missed, and may keep the statistics of the fleet, every instance sharing
 * it.
 *
 * @author pagecache
 */
public interface StatisticsPageStore {

	/**
	 * Report invalidations and clears to a listener.
	 * @param listener the listener
	 */
	void setStatisticsListener(StatisticsListener listener);

	/**
	 * Remember why pages went for this long after they are gone; zero turns it off.
	 * @param retention how long
	 */
	void setMissReasonRetention(Duration retention);

	/**
	 * Where every instance sharing this store adds its statistics.
	 * @return the fleet's statistics store, or {@code null} if the store is not shared
	 */
	default @Nullable FleetStatisticsStore fleetStatisticsStore() {
		return null;
	}

	/**
	 * The statistics of the fleet, every instance sharing a page store, kept as named
	 * sums in the store (such as a hash in Redis): each instance adds what it counted
	 * since its last addition.
	 *
	 */
	public interface FleetStatisticsStore {

		/**
		 * Add to the fleet's statistics, in one round trip.
		 * @param deltas the amount to add to each statistic, by name
		 * @throws PageStoreUnavailableException if the store cannot be reached
		 */
		void add(Map<String, Long> deltas);

		/**
		 * Read every statistic of the fleet.
		 * @return the statistics by name
		 * @throws PageStoreUnavailableException if the store cannot be reached
		 */
		Map<String, Long> read();

	}

}
