package dev.pagecache.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.metrics.PageStatistics;
import dev.pagecache.metrics.StatisticsSnapshot;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The dashboard's last hour: every {@code interval} the totals of this instance (and of
 * the fleet, with a shared store) are sampled into a ring buffer of fixed size, so the
 * history costs the same memory however long the application runs. A point is what
 * happened between two samples. Samples are taken on a daemon thread of their own,
 * started and stopped with the application context.
 *
 * @author pagecache
 */
final class StatisticsHistory implements SmartLifecycle {

	/** How far back the history reaches. */
	static final Duration SPAN = Duration.ofHours(1);

	private static final Log logger = LogFactory.getLog(StatisticsHistory.class);

	private final StatisticsSource source;

	private final Duration interval;

	private final Clock clock;

	private final Samples instance;

	private final Samples fleet;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create a history.
	 * @param source the statistics to sample
	 * @param interval how often to sample
	 * @param clock the clock that dates the samples
	 */
	StatisticsHistory(StatisticsSource source, Duration interval, Clock clock) {
		Assert.isTrue(interval.toMillis() >= 1000, "'interval' must be at least 1 s");
		this.source = source;
		this.interval = interval;
		this.clock = clock;
		int capacity = (int) Math.min(10_000, SPAN.toMillis() / interval.toMillis()) + 1;
		this.instance = new Samples(capacity);
		this.fleet = new Samples(capacity);
	}

	/**
	 * How often the history is sampled.
	 * @return the interval
	 */
	Duration interval() {
		return this.interval;
	}

	/**
	 * Take a sample now: this instance's totals and, with a shared store that answers,
	 * the fleet's.
	 */
	void sample() {
		long now = this.clock.millis();
		this.instance.add(now, this.source.instance().totals());
		if (this.source.hasFleet()) {
			StatisticsSnapshot fleet = this.source.fleet();
			if (fleet != null) {
				this.fleet.add(now, fleet.totals());
			}
		}
	}

	/**
	 * What happened on this instance between consecutive samples of the last hour.
	 * @return the points, oldest first
	 */
	List<HistoryPoint> instance() {
		return this.instance.points();
	}

	/**
	 * What happened in the fleet between consecutive samples of the last hour.
	 * @return the points, oldest first; none without a shared store
	 */
	List<HistoryPoint> fleet() {
		return this.fleet.points();
	}

	@Override
	public synchronized void start() {
		if (this.executor == null) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "pagecache-statistics-history");
				thread.setDaemon(true);
				return thread;
			});
			long millis = this.interval.toMillis();
			executor.scheduleAtFixedRate(this::sampleQuietly, 0, millis, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	private void sampleQuietly() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not sample the page cache statistics for the dashboard's history", ex);
		}
	}

	/**
	 * What happened between two samples.
	 *
	 * @param time when the later sample was taken, in epoch milliseconds
	 * @param hits requests served from the store
	 * @param misses requests rendered because the store did not have the page
	 * @param bypasses requests served without the store
	 */
	record HistoryPoint(long time, long hits, long misses, long bypasses) {

		/**
		 * Every request.
		 * @return hits, misses and bypasses
		 */
		long requests() {
			return this.hits + this.misses + this.bypasses;
		}

		/**
		 * Hits among hits and misses.
		 * @return the ratio, or {@code -1} without either
		 */
		double hitRatio() {
			long looked = this.hits + this.misses;
			return (looked != 0) ? (double) this.hits / looked : -1;
		}

	}

	/**
	 * A ring buffer of samples of totals.
	 */
	private static final class Samples {

		private final long[][] samples;

		private int next;

		private int size;

		Samples(int capacity) {
			this.samples = new long[capacity][];
		}

		synchronized void add(long time, PageStatistics totals) {
			this.samples[this.next] = new long[] { time, totals.hits(), totals.misses(), totals.bypasses() };
			this.next = (this.next + 1) % this.samples.length;
			this.size = Math.min(this.size + 1, this.samples.length);
		}

		synchronized List<HistoryPoint> points() {
			List<HistoryPoint> points = new ArrayList<>();
			int first = (this.next - this.size + this.samples.length) % this.samples.length;
			for (int i = 1; i < this.size; i++) {
				long[] before = this.samples[(first + i - 1) % this.samples.length];
				long[] after = this.samples[(first + i) % this.samples.length];
				// fleet totals go back when the store loses them: count nothing then
				points.add(new HistoryPoint(after[0], Math.max(0, after[1] - before[1]),
						Math.max(0, after[2] - before[2]), Math.max(0, after[3] - before[3])));
			}
			return points;
		}

	}

}
