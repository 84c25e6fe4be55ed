package dev.pagecache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The near caches of the Redis page store, one for each of its {@linkplain RedisShards
 * shards}, started and stopped together; each holds an equal share of the memory, and
 * they share one subscription and one thread ({@link NearCacheSubscription}).
 *
 * @author pagecache
 */
final class RedisNearCaches implements SmartLifecycle {

	private final List<RedisNearCache> nearCaches;

	private volatile boolean running;

	/**
	 * Create the near caches of the shards.
	 * @param connectionFactory the connection factory of the store
	 * @param namespaces the namespaces of the shards, by index
	 * @param maxBytes the most bytes they hold together
	 * @param maxAge the longest a page is served from them
	 * @param heartbeatInterval how often each renews its registration
	 * @param registration how long a heartbeat lets each serve pages
	 * @see RedisNearCache
	 */
	RedisNearCaches(RedisConnectionFactory connectionFactory, List<String> namespaces, long maxBytes, Duration maxAge,
			Duration heartbeatInterval, Duration registration) {
		List<RedisNearCache> nearCaches = new ArrayList<>(namespaces.size());
		long share = Math.max(1, maxBytes / namespaces.size());
		NearCacheSubscription subscription = new NearCacheSubscription(connectionFactory);
		for (String namespace : namespaces) {
			nearCaches.add(new RedisNearCache(connectionFactory, namespace, share, maxAge, heartbeatInterval,
					registration, subscription));
		}
		this.nearCaches = List.copyOf(nearCaches);
	}

	/**
	 * The near cache of a shard.
	 * @param shard the shard's index
	 * @return its near cache
	 */
	RedisNearCache get(int shard) {
		return this.nearCaches.get(shard);
	}

	/** The pages served from memory, in every shard. */
	long getHits() {
		return this.nearCaches.stream().mapToLong(RedisNearCache::getHits).sum();
	}

	/** How often a shard's near cache dropped everything it held. */
	long getFlushes() {
		return this.nearCaches.stream().mapToLong(RedisNearCache::getFlushes).sum();
	}

	@Override
	public void start() {
		this.nearCaches.forEach(RedisNearCache::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.nearCaches.forEach(RedisNearCache::stop);
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
		return this.nearCaches.get(0).getPhase();
	}

}
