package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CircuitBreaker}.
 *
 * @author pagecache
 */
class CircuitBreakerTests {

	private final SettableClock clock = new SettableClock();

	private final CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(1), this.clock);

	@Test
	void opensAfterTheThresholdOfConsecutiveFailures() {
		assertThat(this.breaker.tryAcquire()).isTrue();
		this.breaker.onFailure();
		assertThat(this.breaker.tryAcquire()).isTrue();
		this.breaker.onFailure();
		assertThat(this.breaker.isOpen()).isTrue();
		assertThat(this.breaker.tryAcquire()).isFalse();
	}

	@Test
	void successResetsTheCount() {
		this.breaker.onFailure();
		this.breaker.onSuccess();
		this.breaker.onFailure();
		assertThat(this.breaker.tryAcquire()).isTrue();
	}

	@Test
	void letsOneProbeThroughAfterTheOpenDurationAndClosesWhenItSucceeds() {
		this.breaker.onFailure();
		this.breaker.onFailure();
		this.clock.millis += 1000;
		assertThat(this.breaker.tryAcquire()).isTrue();
		assertThat(this.breaker.tryAcquire()).isFalse();
		this.breaker.onSuccess();
		assertThat(this.breaker.isOpen()).isFalse();
		assertThat(this.breaker.tryAcquire()).isTrue();
	}

	@Test
	void probeThatFailsOpensTheBreakerAgain() {
		this.breaker.onFailure();
		this.breaker.onFailure();
		this.clock.millis += 1000;
		assertThat(this.breaker.tryAcquire()).isTrue();
		this.breaker.onFailure();
		assertThat(this.breaker.tryAcquire()).isFalse();
	}

	private static final class SettableClock extends Clock {

		private volatile long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long millis() {
			return this.millis;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochMilli(this.millis);
		}

	}

}
