package dev.pagecache.redis;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The near cache's side of Redis: the subscription to {@code {ns}:near-cache}, whose
 * messages it hands to the {@link NearCacheSynchronization}; the heartbeat, every
 * interval, that renews the registration and sends a ping (and subscribes again if the
 * subscription dropped); and the acknowledgements of what was applied, written on a
 * thread of its own so that the message thread never waits for Redis. The subscription
 * and the thread are shared by the channels of one instance's shards
 * ({@link NearCacheSubscription}).
 * <p>
 * Its monitor guards the delivery of messages: a message is applied only while the
 * channel runs, and none is applied after {@link #stop()} reset the synchronization.
 * Messages arrive on a Lettuce thread that takes the synchronization's monitor inside
 * this one; deadlock is impossible because the synchronization never calls this class.
 *
 * @author pagecache
 */
final class NearCacheChannel implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(NearCacheChannel.class);

	private static final LuaScript HEARTBEAT = LuaScript.loadWithLibrary("heartbeat");

	private static final LuaScript ACKNOWLEDGE = LuaScript.load("acknowledge");

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final byte[] instance;

	private final Duration heartbeatInterval;

	private final byte[] registrationMillis;

	private final NearCacheSynchronization synchronization;

	private final AtomicBoolean acknowledgementPending = new AtomicBoolean();

	/** The last acknowledgement written, so that pings that change nothing write none. */
	private volatile @Nullable Acknowledgement acknowledged;

	private final NearCacheSubscription subscription;

	private volatile @Nullable ScheduledExecutorService executor;

	private volatile @Nullable ScheduledFuture<?> heartbeats;

	private volatile boolean running;

	NearCacheChannel(RedisConnectionFactory connectionFactory, RedisKeys keys, String instance,
			Duration heartbeatInterval, Duration registration, NearCacheSynchronization synchronization,
			NearCacheSubscription subscription) {
		this.connectionFactory = connectionFactory;
		this.subscription = subscription;
		this.keys = keys;
		this.instance = RedisKeys.bytes(instance);
		this.heartbeatInterval = heartbeatInterval;
		this.registrationMillis = RedisKeys.number(registration.toMillis());
		this.synchronization = synchronization;
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		ScheduledExecutorService executor = this.subscription.add(this);
		this.executor = executor;
		// an acknowledgement dropped when the thread stopped must not hold back the next
		this.acknowledgementPending.set(false);
		this.running = true;
		this.heartbeats = executor.scheduleWithFixedDelay(this::heartbeat, 0, this.heartbeatInterval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		synchronized (this) {
			this.running = false;
			this.synchronization.reset();
		}
		ScheduledFuture<?> heartbeats = this.heartbeats;
		if (heartbeats != null) {
			heartbeats.cancel(false);
			this.heartbeats = null;
		}
		this.subscription.remove(this);
		this.executor = null;
		// again: a heartbeat in flight may have sent a ping meanwhile
		synchronized (this) {
			this.synchronization.reset();
		}
	}

	/**
	 * The Redis channel of this near cache.
	 * @return the channel's name
	 */
	byte[] redisChannel() {
		return this.keys.nearCacheChannel();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the connection factory starts, and stopped before it.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

	/**
	 * Apply a message of the subscription, unless this channel has stopped.
	 * @param body the message
	 */
	synchronized void deliver(byte[] body) {
		if (this.running) {
			onMessage(body);
		}
	}

	void onMessage(byte[] body) {
		NearCacheMessage message;
		try {
			message = NearCacheMessage.parse(body);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Near cache flushed after a malformed message: " + ex.getMessage());
			this.synchronization.lostMessage();
			return;
		}
		this.synchronization.apply(message);
		acknowledge();
	}

	private void heartbeat() {
		try {
			this.subscription.ensureSubscribed();
			long number = this.synchronization.nextPing(System.nanoTime());
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				HEARTBEAT.run(connection, ReturnType.INTEGER, 4, this.keys.sequence(), this.keys.epoch(),
						this.keys.nearCacheInstances(), this.keys.nearCacheAcknowledged(), this.instance,
						this.registrationMillis, this.keys.nearCacheChannel(), RedisKeys.number(number));
			}
		}
		catch (RuntimeException ex) {
			logger.debug(
					"Near cache heartbeat failed; pages are served from Redis until it succeeds: " + ex.getMessage());
		}
	}

	private void acknowledge() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null && this.acknowledgementPending.compareAndSet(false, true)) {
			try {
				executor.execute(this::writeAcknowledgement);
			}
			catch (RejectedExecutionException ex) {
				this.acknowledgementPending.set(false); // stopping
			}
		}
	}

	private void writeAcknowledgement() {
		this.acknowledgementPending.set(false);
		Acknowledgement acknowledgement = this.synchronization.acknowledgement();
		if (acknowledgement == null || acknowledgement.equals(this.acknowledged)) {
			return;
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			ACKNOWLEDGE.run(connection, ReturnType.INTEGER, 1, this.keys.nearCacheAcknowledged(), this.instance,
					acknowledgement.toBytes(), RedisKeys.number(StoreCommands.META_TTL.toMillis()));
			this.acknowledged = acknowledgement;
		}
		catch (RuntimeException ex) {
			logger.debug("Near cache could not acknowledge invalidations: " + ex.getMessage());
		}
	}

}
