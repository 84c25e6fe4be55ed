package dev.pagecache.edge;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * The failures of edge purges: the last one, for the status, and each edge's failures in
 * a row, so that an edge down for an hour is one warning, not one per retry.
 *
 * @author pagecache
 */
final class PurgeFailures {

	private final Log logger;

	/** Each purger's failures since its last purge that succeeded, by its name. */
	private final Map<String, AtomicLong> inARow = new ConcurrentHashMap<>();

	private volatile @Nullable Failure last;

	/**
	 * Create the record.
	 * @param logger where failures and recoveries are logged
	 */
	PurgeFailures(Log logger) {
		this.logger = logger;
	}

	/**
	 * Record a failure: the first of a row is a warning, the others are debug events.
	 * @param purger the purger's name
	 * @param ex what failed
	 */
	void failed(String purger, RuntimeException ex) {
		this.last = new Failure(purger, String.valueOf(ex.getMessage()), Instant.now());
		long failures = this.inARow.computeIfAbsent(purger, (name) -> new AtomicLong()).incrementAndGet();
		if (failures == 1) {
			this.logger.warn("Edge purge of " + purger + " failed, queued for retry (further failures are logged at"
					+ " DEBUG until a purge of " + purger + " succeeds): " + ex.getMessage());
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger
				.debug("Edge purge of " + purger + " failed again (" + failures + " in a row): " + ex.getMessage());
		}
	}

	/**
	 * Record a purge that succeeded, which ends its purger's row of failures.
	 * @param purger the purger's name
	 */
	void succeeded(String purger) {
		AtomicLong failures = this.inARow.get(purger);
		long ended = (failures != null) ? failures.getAndSet(0) : 0;
		if (ended > 0) {
			this.logger.info("Edge purges of " + purger + " succeed again, after " + ended + " that failed");
		}
	}

	/**
	 * The last failure.
	 * @return the purger and message of the last failure, or {@code null} if none failed
	 */
	@Nullable String lastFailure() {
		Failure failure = this.last;
		return (failure != null) ? failure.purger() + ": " + failure.message() : null;
	}

	/**
	 * When the last failure happened.
	 * @return the time, or {@code null} if none failed
	 */
	@Nullable Instant lastFailureAt() {
		Failure failure = this.last;
		return (failure != null) ? failure.at() : null;
	}

	private record Failure(String purger, String message, Instant at) {

	}

}
