package dev.pagecache.redis;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The near cache's side of Redis: the subscription to {@code {ns}:near-cache}, whose
 * messages it hands to the {@link NearCacheSynchronization}; the heartbeat, every
 * interval, that renews the registration and sends a ping (and subscribes again if the
 * subscription dropped); and the acknowledgements of what was applied, written on a
 * thread of its own so that the message thread never waits for Redis.
 * <p>
 * Its monitor guards the subscription only. Messages arrive on a Lettuce thread that
 * takes the synchronization's monitor, and subscribing and closing may wait for that
 * thread; deadlock is impossible because the synchronization never calls this class and
 * this class calls the synchronization only without holding its own monitor.
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

	private volatile @Nullable ScheduledExecutorService executor;

	/** Guarded by this object's monitor. */
	private @Nullable RedisConnection subscription;

	private volatile boolean running;

	NearCacheChannel(RedisConnectionFactory connectionFactory, RedisKeys keys, String instance,
			Duration heartbeatInterval, Duration registration, NearCacheSynchronization synchronization) {
		this.connectionFactory = connectionFactory;
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
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "pagecache-near-cache");
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		this.running = true;
		executor.scheduleWithFixedDelay(this::heartbeat, 0, this.heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		this.synchronization.reset();
		synchronized (this) {
			closeSubscription();
		}
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
		// again: a ping in flight may have arrived until the subscription closed
		this.synchronization.reset();
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
			subscribe();
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

	/**
	 * Subscribe to the channel unless subscribed.
	 */
	private synchronized void subscribe() {
		RedisConnection current = this.subscription;
		if (current != null && current.isSubscribed()) {
			return;
		}
		closeSubscription();
		if (!this.running) {
			return;
		}
		RedisConnection connection = this.connectionFactory.getConnection();
		try {
			connection.subscribe((Message message, byte @Nullable [] pattern) -> onMessage(message.getBody()),
					this.keys.nearCacheChannel());
			this.subscription = connection;
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			throw ex;
		}
	}

	/** Called with the monitor held. */
	private void closeSubscription() {
		RedisConnection current = this.subscription;
		if (current != null) {
			closeQuietly(current);
			this.subscription = null;
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

	private static void closeQuietly(RedisConnection connection) {
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not close the near cache's subscription: " + ex.getMessage());
		}
	}

}
