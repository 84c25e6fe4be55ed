package dev.pagecache.redis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CircuitBreaker}.
 *
 * @author pagecache
 */
class CircuitBreakerTests {

	private final MutableClock clock = new MutableClock();

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
		this.clock.advance(Duration.ofSeconds(1));
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
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.breaker.tryAcquire()).isTrue();
		this.breaker.onFailure();
		assertThat(this.breaker.tryAcquire()).isFalse();
	}

}
