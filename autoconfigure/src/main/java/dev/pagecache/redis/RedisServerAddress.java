package dev.pagecache.redis;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.data.redis.connection.RedisConfiguration;

/**
 * Where the page store's Redis is: a standalone server, a Sentinel set or a Cluster, its
 * credentials, and whether to speak TLS. Built from Spring Boot's
 * {@code DataRedisConnectionDetails} where the application has Boot's Redis module, from
 * the {@code spring.data.redis.*} properties otherwise.
 *
 * @param configuration the server, Sentinel set or Cluster, with credentials (and
 * database, except on Cluster)
 * @param ssl whether the connection uses TLS
 * @param sslBundle the key and trust material and options of TLS
 * ({@code spring.data.redis.ssl.bundle}), or {@code null} for Lettuce's defaults where
 * {@code ssl} is {@code true}
 * @author pagecache
 */
record RedisServerAddress(RedisConfiguration configuration, boolean ssl, @Nullable SslBundle sslBundle) {

	/** The message of every Redis set-up the page store does not support yet. */
	static final String UNSUPPORTED = "The Redis page store supports a standalone Redis server, Sentinel or Cluster; "
			+ "for %s, define a bean named " + PageCacheRedisAutoConfiguration.CONNECTION_FACTORY
			+ " or set pagecache.store=memory";

}
