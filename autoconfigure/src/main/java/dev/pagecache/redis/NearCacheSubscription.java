package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.Subscription;

/**
 * What the {@link NearCacheChannel near cache channels} of one instance share: one
 * subscription, to the channels of every shard, whose messages go to the channel they are
 * for, and one thread for their heartbeats and acknowledgements. A store split into 16
 * shards holds one subscription and one thread, not 16. The thread runs while a channel
 * is started; the subscription is made by a heartbeat (again after it dropped) and closed
 * when the last channel stops.
 * <p>
 * Its monitor guards the subscription and the started channels. Messages arrive on a
 * Lettuce thread, which delivers each without holding this monitor.
 *
 * @author pagecache
 */
final class NearCacheSubscription {

	private static final Log logger = LogFactory.getLog(NearCacheSubscription.class);

	private final RedisConnectionFactory connectionFactory;

	/** The started channels, by the name of their Redis channel. */
	private final Map<String, NearCacheChannel> channels = new ConcurrentHashMap<>();

	/** Guarded by this object's monitor. */
	private @Nullable RedisConnection subscription;

	/** Guarded by this object's monitor. */
	private @Nullable ScheduledExecutorService executor;

	NearCacheSubscription(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * A channel starts: its messages are delivered to it from now on, once subscribed.
	 * @param channel the channel
	 * @return the thread for its heartbeats and acknowledgements
	 */
	synchronized ScheduledExecutorService add(NearCacheChannel channel) {
		this.channels.put(name(channel.redisChannel()), channel);
		changeSubscription((subscription) -> subscription.subscribe(channel.redisChannel()));
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "pagecache-near-cache");
				thread.setDaemon(true);
				return thread;
			});
			this.executor = executor;
		}
		return executor;
	}

	/**
	 * A channel stops: none of its messages is delivered to it from now on; the last one
	 * to stop closes the subscription and stops the thread.
	 * @param channel the channel
	 */
	synchronized void remove(NearCacheChannel channel) {
		this.channels.remove(name(channel.redisChannel()));
		if (this.channels.isEmpty()) {
			closeSubscription();
			ScheduledExecutorService executor = this.executor;
			if (executor != null) {
				executor.shutdownNow();
				this.executor = null;
			}
		}
		else {
			changeSubscription((subscription) -> subscription.unsubscribe(channel.redisChannel()));
		}
	}

	/**
	 * Add a channel to the subscription, or take one off, if subscribed. Called with the
	 * monitor held. Where Redis does not answer, the subscription is closed and the next
	 * heartbeat subscribes again to the channels of the started near caches.
	 */
	private void changeSubscription(Consumer<Subscription> change) {
		RedisConnection current = this.subscription;
		Subscription subscription = (current != null && current.isSubscribed()) ? current.getSubscription() : null;
		if (subscription == null) {
			return;
		}
		try {
			change.accept(subscription);
		}
		catch (RuntimeException ex) {
			logger.debug("Near cache subscription not changed, subscribing again: " + ex.getMessage());
			closeSubscription();
		}
	}

	/**
	 * Subscribe to the channels of the started near caches unless subscribed.
	 * @throws RuntimeException if Redis cannot be reached
	 */
	synchronized void ensureSubscribed() {
		RedisConnection current = this.subscription;
		if (current != null && current.isSubscribed()) {
			return;
		}
		closeSubscription();
		if (this.channels.isEmpty()) {
			return;
		}
		byte[][] names = this.channels.values().stream().map(NearCacheChannel::redisChannel).toArray(byte[][]::new);
		RedisConnection connection = this.connectionFactory.getConnection();
		try {
			connection.subscribe((Message message, byte @Nullable [] pattern) -> deliver(message), names);
			this.subscription = connection;
		}
		catch (RuntimeException ex) {
			closeQuietly(connection);
			throw ex;
		}
	}

	private void deliver(Message message) {
		NearCacheChannel channel = this.channels.get(name(message.getChannel()));
		if (channel != null) {
			channel.deliver(message.getBody());
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

	private static String name(byte[] channel) {
		return new String(channel, StandardCharsets.ISO_8859_1);
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
