package dev.pagecache.redis;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * The page store's Redis taken from Spring Boot's {@link DataRedisConnectionDetails}:
 * {@code spring.data.redis.*}, a {@code @ServiceConnection}, or the application's own
 * details bean. Loaded only where Boot's Redis module is on the class path.
 *
 * @author pagecache
 */
final class ConnectionDetailsAddress {

	private ConnectionDetailsAddress() {
	}

	/**
	 * The address the given details describe.
	 * @param details the application's Redis connection details
	 * @param environment the environment, for
	 * {@code spring.data.redis.cluster.max-redirects}, which Spring Boot reads from its
	 * properties whatever the details
	 * @return the address
	 * @throws IllegalStateException for master/replica set-ups
	 */
	static RedisServerAddress of(DataRedisConnectionDetails details, Environment environment) {
		SslBundle bundle = details.getSslBundle();
		// Spring Boot turns TLS on for a rediss:// URL of its properties whatever the
		// details
		boolean ssl = bundle != null || Binder.get(environment)
			.bind("spring.data.redis.url", String.class)
			.map((url) -> url.startsWith("rediss:"))
			.orElse(false);
		if (details.getSentinel() != null) {
			return new RedisServerAddress(sentinel(details, details.getSentinel()), ssl, bundle);
		}
		if (details.getCluster() != null) {
			RedisClusterConfiguration cluster = cluster(details, details.getCluster());
			Binder.get(environment)
				.bind("spring.data.redis.cluster.max-redirects", Integer.class)
				.ifBound(cluster::setMaxRedirects);
			return new RedisServerAddress(cluster, ssl, bundle);
		}
		if (details.getMasterReplica() != null) {
			throw new IllegalStateException(RedisServerAddress.UNSUPPORTED
				.formatted("a master/replica set-up (spring.data.redis.masterreplica.nodes)"));
		}
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		if (standalone == null) {
			throw new IllegalStateException(RedisServerAddress.UNSUPPORTED.formatted("this Redis set-up"));
		}
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(standalone.getHost(),
				standalone.getPort());
		configuration.setDatabase(standalone.getDatabase());
		configuration.setUsername(details.getUsername());
		configuration.setPassword(RedisPassword.of(details.getPassword()));
		return new RedisServerAddress(configuration, ssl, bundle);
	}

	private static RedisClusterConfiguration cluster(DataRedisConnectionDetails details,
			DataRedisConnectionDetails.Cluster cluster) {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration();
		for (DataRedisConnectionDetails.Node node : cluster.getNodes()) {
			configuration.addClusterNode(new RedisNode(node.host(), node.port()));
		}
		configuration.setUsername(details.getUsername());
		configuration.setPassword(RedisPassword.of(details.getPassword()));
		return configuration;
	}

	private static RedisSentinelConfiguration sentinel(DataRedisConnectionDetails details,
			DataRedisConnectionDetails.Sentinel sentinel) {
		RedisSentinelConfiguration configuration = new RedisSentinelConfiguration();
		configuration.master(sentinel.getMaster());
		for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
			configuration.addSentinel(new RedisNode(node.host(), node.port()));
		}
		configuration.setDatabase(sentinel.getDatabase());
		configuration.setUsername(details.getUsername());
		configuration.setPassword(RedisPassword.of(details.getPassword()));
		configuration.setSentinelUsername(sentinel.getUsername());
		configuration.setSentinelPassword(RedisPassword.of(sentinel.getPassword()));
		return configuration;
	}

}
