package dev.pagecache.metrics;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A page store that can take part in the page cache's figures: it reports its
 * invalidations, remembers why pages went so that lookups say why they missed, and may
 * hold figures shared by every instance.
 *
 * @author pagecache
 */
public interface MeasurablePageStore {

	/**
	 * Report invalidations and clears to a recorder.
	 * @param recorder the recorder
	 */
	void setRecorder(PageCacheRecorder recorder);

	/**
	 * Remember why pages went for this long after they are gone; zero turns it off.
	 * @param retention how long
	 */
	void setMissReasonRetention(Duration retention);

	/**
	 * The counters that every instance sharing this store adds its figures to.
	 * @return the counters, or {@code null} if the store is not shared
	 */
	default @Nullable FleetCounters fleetCounters() {
		return null;
	}

}
