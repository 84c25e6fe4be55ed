package dev.pagecache.metrics;

import java.util.Map;

/**
 * Counters shared by every instance of an application, such as a hash in the Redis page
 * store: each instance adds what it counted since its last addition.
 *
 * @author pagecache
 */
public interface FleetCounters {

	/**
	 * Add counts to the fleet's counters, in one round trip.
	 * @param deltas the amount to add to each counter, by counter name
	 * @throws dev.pagecache.store.PageStoreUnavailableException if the store cannot be
	 * reached
	 */
	void add(Map<String, Long> deltas);

	/**
	 * Read every counter of the fleet.
	 * @return the counters by name
	 * @throws dev.pagecache.store.PageStoreUnavailableException if the store cannot be
	 * reached
	 */
	Map<String, Long> read();

}
