package dev.pagecache.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The statistics of the fleet, every instance that shares the page store, added up in the
 * store: every few seconds this instance adds what it counted since its last addition, in
 * one round trip, off the request path. A failed addition is retried with the next one,
 * so counts are not lost while the store is down (an addition whose reply was lost after
 * it was applied is counted twice).
 * <p>
 * With a store that is not shared (the in-memory store), there is no fleet:
 * {@link #snapshot()} returns {@code null}.
 *
 * @author pagecache
 */
public final class FleetStatistics implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(FleetStatistics.class);

	private final PageCacheStatistics statistics;

	private final @Nullable FleetStatisticsStore store;

	private final Duration flushInterval;

	/** This instance's statistics as last added to the fleet's. */
	private Map<String, Long> flushed = Map.of();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create the fleet's statistics.
	 * @param statistics this instance's statistics
	 * @param store where the fleet's statistics are kept, or {@code null} if the page
	 * store is not shared
	 * @param flushInterval how often this instance adds its statistics
	 */
	public FleetStatistics(PageCacheStatistics statistics, @Nullable FleetStatisticsStore store,
			Duration flushInterval) {
		Assert.isTrue(flushInterval.toMillis() > 0, "'flushInterval' must be at least 1 ms");
		this.statistics = statistics;
		this.store = store;
		this.flushInterval = flushInterval;
	}

	/**
	 * Whether the page store is shared, so that the statistics of several instances are
	 * added up.
	 * @return {@code true} with a shared store
	 */
	public boolean isShared() {
		return this.store != null;
	}

	/**
	 * Add what this instance counted since the last time to the fleet's statistics.
	 * @throws dev.pagecache.store.PageStoreUnavailableException if the store cannot be
	 * reached
	 */
	public synchronized void flush() {
		if (this.store == null) {
			return;
		}
		Map<String, Long> current = this.statistics.snapshot().toMap();
		Map<String, Long> deltas = new LinkedHashMap<>();
		current.forEach((name, value) -> {
			long delta = value - this.flushed.getOrDefault(name, 0L);
			if (delta != 0) {
				deltas.put(name, delta);
			}
		});
		this.store.add(deltas);
		this.flushed = current;
	}

	/**
	 * The fleet's statistics, this instance's latest counts included.
	 * @return the statistics, or {@code null} if the store is not shared
	 * @throws dev.pagecache.store.PageStoreUnavailableException if the store cannot be
	 * reached
	 */
	public @Nullable StatisticsSnapshot snapshot() {
		if (this.store == null) {
			return null;
		}
		flush();
		return StatisticsSnapshot.fromMap(this.store.read());
	}

	@Override
	public synchronized void start() {
		if (this.store != null && this.executor == null) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "pagecache-fleet-statistics");
				thread.setDaemon(true);
				return thread;
			});
			long interval = this.flushInterval.toMillis();
			executor.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.executor;
			this.executor = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			flushQuietly();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not add this instance's page cache statistics to the fleet's; retrying later", ex);
			}
		}
	}

}
