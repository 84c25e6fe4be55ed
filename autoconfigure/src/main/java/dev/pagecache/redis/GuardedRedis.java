package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageStoreUnavailableException;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Redis commands run behind a {@link CircuitBreaker}: every failure, whatever its cause
 * (a refused connection, a timeout, a stopped connection factory), becomes a
 * {@link PageStoreUnavailableException} and counts towards opening the breaker; while it
 * is open, no command is attempted.
 *
 * @author pagecache
 */
final class GuardedRedis {

	static final int DEFAULT_FAILURE_THRESHOLD = 3;

	static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(1);

	private static final long TOPOLOGY_REFRESH_INTERVAL_NANOS = Duration.ofMillis(500).toNanos();

	/**
	 * How long a command sent asynchronously is awaited when the factory does not say.
	 */
	static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final RedisConnectionFactory connectionFactory;

	private final Clock clock;

	private final Duration commandTimeout;

	private volatile CircuitBreaker circuitBreaker;

	/** When the cluster's topology was last read again after a redirection. */
	private final AtomicLong lastTopologyRefresh = new AtomicLong(System.nanoTime() - TOPOLOGY_REFRESH_INTERVAL_NANOS);

	GuardedRedis(RedisConnectionFactory connectionFactory, Clock clock) {
		this.connectionFactory = connectionFactory;
		this.clock = clock;
		this.commandTimeout = (connectionFactory instanceof LettuceConnectionFactory lettuce)
				? Duration.ofMillis(lettuce.getTimeout()) : DEFAULT_COMMAND_TIMEOUT;
		this.circuitBreaker = new CircuitBreaker(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DURATION, clock);
	}

	void setCircuitBreaker(int failureThreshold, Duration openDuration) {
		this.circuitBreaker = new CircuitBreaker(failureThreshold, openDuration, this.clock);
	}

	/**
	 * How long a command may take: the connection factory's command timeout.
	 * @return the timeout
	 */
	Duration commandTimeout() {
		return this.commandTimeout;
	}

	/**
	 * The Lettuce client of a Redis Cluster, whose view of the cluster's topology says
	 * which primary serves a slot.
	 * @return the client, or {@code null} when the connection factory is not a Lettuce
	 * factory of a cluster, or not started
	 */
	@Nullable RedisClusterClient clusterClient() {
		try {
			return (this.connectionFactory instanceof LettuceConnectionFactory lettuce
					&& lettuce.getNativeClient() instanceof RedisClusterClient client) ? client : null;
		}
		catch (IllegalStateException ex) {
			return null; // not started, or stopped
		}
	}

	/**
	 * A cluster node redirected a command: have the client read the cluster's topology
	 * again, in the background and at most twice a second.
	 */
	void topologyChanged() {
		long now = System.nanoTime();
		long last = this.lastTopologyRefresh.get();
		RedisClusterClient client = clusterClient();
		if (client != null && now - last >= TOPOLOGY_REFRESH_INTERVAL_NANOS
				&& this.lastTopologyRefresh.compareAndSet(last, now)) {
			client.refreshPartitionsAsync();
		}
	}

	/**
	 * Run commands on a connection of their own.
	 * @param <T> the result type
	 * @param operation the name of the operation, for messages
	 * @param action the commands
	 * @return the result
	 * @throws PageStoreUnavailableException if the breaker is open or the commands failed
	 */
	<T> T execute(String operation, Function<RedisConnection, T> action) {
		CircuitBreaker breaker = this.circuitBreaker;
		if (!breaker.tryAcquire()) {
			throw new PageStoreUnavailableException(
					"Redis page store " + operation + " not attempted: circuit breaker open after repeated failures");
		}
		boolean failed = true;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			T result = action.apply(connection);
			failed = false;
			return result;
		}
		catch (RuntimeException ex) {
			// DataAccessException from the driver, or the factory's own state (stopped,
			// not
			// started): either way the request is served without the cache
			throw new PageStoreUnavailableException("Redis page store " + operation + " failed: " + ex.getMessage(),
					ex);
		}
		finally {
			if (failed) {
				breaker.onFailure();
			}
			else {
				breaker.onSuccess();
			}
		}
	}

}
