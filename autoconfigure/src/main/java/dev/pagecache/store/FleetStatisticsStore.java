package dev.pagecache.store;

import java.util.Map;

/**
 * The statistics of the fleet, every instance sharing a page store, kept as named sums in
 * the store (such as a hash in Redis): each instance adds what it counted since its last
 * addition.
 *
 * @author pagecache
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
