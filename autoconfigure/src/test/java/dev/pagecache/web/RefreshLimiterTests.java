package dev.pagecache.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The limiter of refresh-ahead, driven by a clock and a load of the test's own: its share
 * bounds the render time refreshes take, pressure halves the share, recovery is additive,
 * and deep debt still lets a refresh start a back-off after the last one ended.
 */
class RefreshLimiterTests {

	private static final long MS = Duration.ofMillis(1).toNanos();

	private final AtomicLong clock = new AtomicLong(1_000 * MS);

	private double cpuLoad = 0.3;

	private final RefreshLimiter limiter = new RefreshLimiter(0.2, 2, Duration.ofMillis(20), 0.9, Duration.ofSeconds(5),
			this.clock::get, () -> this.cpuLoad);

	@Test
	void shareBoundsTheRenderTimeOfRefreshesOverAMinute() {
		long end = this.clock.get() + Duration.ofMinutes(1).toNanos();
		long rendered = 0;
		while (this.clock.get() < end) {
			this.clock.addAndGet(this.limiter.nanosUntilStart());
			this.clock.addAndGet(100 * MS);
			this.limiter.finished(100 * MS, 0, false);
			rendered += 100 * MS;
		}
		// 0.2 of 2 processors for 60 s is 24 s of render time, plus the bucket's one
		// second
		// of budget at the start
		assertThat(rendered / (double) Duration.ofSeconds(1).toNanos()).isCloseTo(24.4, within(0.5));
		assertThat(this.limiter.backsOff()).isFalse();
	}

	@Test
	void pressureHalvesTheShareAndStopsReservations() {
		this.limiter.finished(50 * MS, 30 * MS, false);
		assertThat(this.limiter.share()).as("a refresh waited 30 ms for a worker").isCloseTo(0.1, within(1e-9));
		assertThat(this.limiter.backsOff()).isTrue();
		this.limiter.finished(50 * MS, 0, true);
		assertThat(this.limiter.share()).as("a refresh rendered slower than readers").isCloseTo(0.05, within(1e-9));
		this.cpuLoad = 0.95;
		this.limiter.finished(50 * MS, 0, false);
		assertThat(this.limiter.share()).as("the machine is busy").isCloseTo(0.025, within(1e-9));
	}

	@Test
	void busyMachineSeenBeforeAStartCountsAsPressureWhenTheRefreshEnds() {
		this.cpuLoad = 0.95;
		assertThat(this.limiter.nanosUntilStart()).isZero();
		this.cpuLoad = 0.3;
		this.limiter.finished(10 * MS, 0, false);
		assertThat(this.limiter.share()).isCloseTo(0.1, within(1e-9));
	}

	@Test
	void shareGrowsBackByATenthOfItsMaximumPerRefreshWithoutPressure() {
		this.limiter.finished(MS, 30 * MS, false);
		this.limiter.finished(MS, 30 * MS, false);
		assertThat(this.limiter.share()).isCloseTo(0.05, within(1e-9));
		for (int i = 0; i < 7; i++) {
			this.limiter.finished(MS, 0, false);
		}
		assertThat(this.limiter.share()).isCloseTo(0.19, within(1e-9));
		assertThat(this.limiter.backsOff()).isTrue();
		this.limiter.finished(MS, 0, false);
		this.limiter.finished(MS, 0, false);
		assertThat(this.limiter.share()).isEqualTo(0.2);
		assertThat(this.limiter.backsOff()).isFalse();
	}

	@Test
	void deepDebtStillLetsARefreshStartABackOffAfterTheLastEnded() {
		this.clock.addAndGet(Duration.ofSeconds(60).toNanos());
		this.limiter.finished(Duration.ofSeconds(60).toNanos(), 30 * MS, false);
		assertThat(this.limiter.nanosUntilStart()).as("a debt of 60 s of render time, 300 s at the halved share")
			.isEqualTo(Duration.ofSeconds(5).toNanos());
		this.clock.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
		assertThat(this.limiter.nanosUntilStart()).isOne();
		this.clock.addAndGet(1);
		assertThat(this.limiter.nanosUntilStart()).isZero();
	}

}
