package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;

import org.springframework.util.Assert;

/**
 * Fails fast after a number of consecutive failures: while open, no call is attempted;
 * once the open duration has passed, a single call probes the server, and its outcome
 * closes the breaker or opens it again.
 *
 * @author pagecache
 */
final class CircuitBreaker {

	private final int failureThreshold;

	private final long openMillis;

	private final Clock clock;

	private volatile int consecutiveFailures;

	private long openUntil;

	private boolean probing;

	CircuitBreaker(int failureThreshold, Duration openDuration, Clock clock) {
		Assert.isTrue(failureThreshold > 0, "'failureThreshold' must be positive");
		Assert.isTrue(!openDuration.isNegative(), "'openDuration' must not be negative");
		this.failureThreshold = failureThreshold;
		this.openMillis = openDuration.toMillis();
		this.clock = clock;
	}

	/**
	 * Whether a call may be attempted now. A caller that is allowed must report the
	 * outcome with {@link #onSuccess()} or {@link #onFailure()}.
	 * @return {@code true} when closed, or when this call is the probe of a half-open
	 * breaker
	 */
	boolean tryAcquire() {
		if (this.consecutiveFailures < this.failureThreshold) {
			return true;
		}
		synchronized (this) {
			if (this.consecutiveFailures < this.failureThreshold) {
				return true;
			}
			if (this.probing || this.clock.millis() < this.openUntil) {
				return false;
			}
			this.probing = true;
			return true;
		}
	}

	void onSuccess() {
		if (this.consecutiveFailures == 0) {
			return;
		}
		synchronized (this) {
			this.consecutiveFailures = 0;
			this.probing = false;
		}
	}

	synchronized void onFailure() {
		int failures = this.consecutiveFailures + 1;
		this.consecutiveFailures = failures;
		if (failures >= this.failureThreshold) {
			this.openUntil = this.clock.millis() + this.openMillis;
			this.probing = false;
		}
	}

	boolean isOpen() {
		return this.consecutiveFailures >= this.failureThreshold;
	}

}
