package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;

import io.lettuce.core.cluster.SlotHash;

import dev.pagecache.store.PageStore;

import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * What tests in other packages need of the package-private Redis store and near cache.
 */
public final class RedisTestStores {

	private RedisTestStores() {
	}

	/**
	 * A store of another instance sharing an application's Redis namespace, as the
	 * application's own connection reaches it.
	 * @param application the application
	 * @param namespace the namespace
	 * @return the other instance's store
	 */
	public static PageStore otherInstance(ApplicationContext application, String namespace) {
		RedisConnectionFactory connectionFactory = application
			.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY, RedisConnectionFactory.class);
		return new RedisPageStore(connectionFactory, namespace, Duration.ofSeconds(30), Clock.systemUTC());
	}

	/**
	 * A Redis store, as an application of that namespace has it.
	 * @param connectionFactory the connection to Redis
	 * @param namespace the namespace
	 * @return the store
	 */
	public static PageStore store(RedisConnectionFactory connectionFactory, String namespace) {
		return new RedisPageStore(connectionFactory, namespace, Duration.ofSeconds(30), Clock.systemUTC());
	}

	/**
	 * The Redis Cluster slot of a page's shard, where an application splits its namespace
	 * into the default number of shards of a cluster.
	 * @param namespace the application's namespace
	 * @param key the page's key
	 * @return the slot of the keys of the page's shard
	 */
	public static int clusterSlotOfPage(String namespace, String key) {
		int shards = RedisShards.DEFAULT_CLUSTER_SHARDS;
		return SlotHash.getSlot(RedisShards.namespaces(namespace, shards).get(RedisShards.of(key, shards)));
	}

	/**
	 * The pages an application's near cache has served.
	 * @param application the application
	 * @return the near cache's hits
	 */
	public static long nearCacheHits(ApplicationContext application) {
		return application.getBean(RedisNearCaches.class).getHits();
	}

	/**
	 * How often an application's near cache has flushed.
	 * @param application the application
	 * @return the near cache's flushes
	 */
	public static long nearCacheFlushes(ApplicationContext application) {
		return application.getBean(RedisNearCaches.class).getFlushes();
	}

}
