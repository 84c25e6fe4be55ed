package dev.pagecache.web;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How much of an instance refresh-ahead may take from live traffic: a budget of render
 * time (a token bucket filled at {@code share} × processors seconds per second, holding
 * at most one second of it), charged with each refresh's measured time after it ends, and
 * a share that halves under pressure and grows back by a tenth of its maximum per refresh
 * without it (additive increase, multiplicative decrease, as TCP paces itself).
 * <p>
 * Pressure is any of: a refresh that waited longer than the set admission delay for a
 * worker thread (the connector is saturated), a refresh that rendered more than twice as
 * slowly as readers render the same route (the machine is busy), or a system CPU load
 * above the set maximum. However deep the debt, a refresh may start {@code maxBackOff}
 * after the last one ended, so that refreshes never stop altogether.
 * <p>
 * Time and load are given, so that tests drive the limiter with their own clock.
 *
 * @author pagecache
 */
final class RefreshLimiter {

	private static final double GROWTH = 0.1;

	private final double maxShare;

	private final int processors;

	private final long maxAdmissionDelayNanos;

	private final double maxCpuLoad;

	private final long maxBackOffNanos;

	private final LongSupplier nanoTime;

	private final LoadSignal load;

	private double share;

	/** Render nanos that may still be spent; negative after a refresh overdrew them. */
	private double tokens;

	private long filledAt;

	private long lastEnd;

	private boolean pressure;

	/**
	 * Create a limiter with a full bucket.
	 * @param maxShare the largest share of the processors' time refreshes may use, in
	 * {@code (0, 1]}
	 * @param processors the processors available
	 * @param maxAdmissionDelay the longest a refresh may wait for a worker without
	 * pressure
	 * @param maxCpuLoad the system CPU load, in {@code [0, 1]}, above which there is
	 * pressure
	 * @param maxBackOff the longest time from the end of a refresh to the start of the
	 * next, however deep the debt
	 * @param nanoTime the clock, as {@link System#nanoTime()}
	 * @param load the system load
	 */
	RefreshLimiter(double maxShare, int processors, Duration maxAdmissionDelay, double maxCpuLoad, Duration maxBackOff,
			LongSupplier nanoTime, LoadSignal load) {
		this.maxShare = maxShare;
		this.processors = processors;
		this.maxAdmissionDelayNanos = maxAdmissionDelay.toNanos();
		this.maxCpuLoad = maxCpuLoad;
		this.maxBackOffNanos = maxBackOff.toNanos();
		this.nanoTime = nanoTime;
		this.load = load;
		this.share = maxShare;
		this.filledAt = nanoTime.getAsLong();
		this.lastEnd = this.filledAt;
		this.tokens = capacity();
	}

	/**
	 * How long the next refresh must wait before it starts.
	 * @return zero if it may start now, else the nanoseconds to wait
	 */
	synchronized long nanosUntilStart() {
		long now = fill();
		if (this.load.cpuLoad() > this.maxCpuLoad) {
			this.pressure = true;
		}
		long untilBackOffEnds = this.lastEnd + this.maxBackOffNanos - now;
		if (this.tokens > 0 || untilBackOffEnds <= 0) {
			return 0;
		}
		return Math.max(1, Math.min((long) Math.ceil(-this.tokens / rate()), untilBackOffEnds));
	}

	/**
	 * Charge a refresh that ended, and adjust the share.
	 * @param elapsedNanos how long it took, request sent to response read
	 * @param admissionDelayNanos how long it waited for a worker before the filter saw it
	 * @param slowerThanReaders whether it rendered more than twice as slowly as readers
	 * render its route
	 */
	synchronized void finished(long elapsedNanos, long admissionDelayNanos, boolean slowerThanReaders) {
		this.lastEnd = fill();
		this.tokens -= elapsedNanos;
		boolean pressed = this.pressure || admissionDelayNanos > this.maxAdmissionDelayNanos || slowerThanReaders
				|| this.load.cpuLoad() > this.maxCpuLoad;
		this.share = pressed ? this.share / 2 : Math.min(this.maxShare, this.share + GROWTH * this.maxShare);
		this.pressure = false;
	}

	/**
	 * The share of the processors' time refreshes may use now.
	 * @return the share, at most the maximum
	 */
	synchronized double share() {
		return this.share;
	}

	/**
	 * Whether the share is below its maximum: refreshes back off, and no page is reserved
	 * for a refresh.
	 * @return whether the limiter backs off
	 */
	synchronized boolean backsOff() {
		return this.share < this.maxShare;
	}

	private long fill() {
		long now = this.nanoTime.getAsLong();
		this.tokens = Math.min(capacity(), this.tokens + (now - this.filledAt) * rate());
		this.filledAt = now;
		return now;
	}

	/** Render nanos earned per nano of wall time. */
	private double rate() {
		return this.share * this.processors;
	}

	private double capacity() {
		return Duration.ofSeconds(1).toNanos() * rate();
	}

	/**
	 * The load of the machine.
	 */
	interface LoadSignal {

		/**
		 * The system CPU load.
		 * @return the load in {@code [0, 1]}, or a negative value if unknown
		 */
		double cpuLoad();

	}

}
