package dev.pagecache.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.util.StringUtils;

/**
 * The page store's Redis read from the {@code spring.data.redis.*} properties, where the
 * application does not have Spring Boot's Redis module (pagecache does not bring it, so
 * that Boot defines no Redis beans of its own). Reads the same properties with the same
 * meaning: {@code url} (which wins over host, port, credentials and database),
 * {@code host}, {@code port}, {@code username}, {@code password}, {@code database},
 * {@code ssl.enabled}, {@code ssl.bundle}, {@code sentinel.*} and {@code cluster.*}
 * (Sentinel wins over Cluster, as in Spring Boot).
 *
 * @author pagecache
 */
final class RedisPropertiesAddress {

	private static final String PREFIX = "spring.data.redis";

	private RedisPropertiesAddress() {
	}

	/**
	 * The address the environment's {@code spring.data.redis.*} properties describe.
	 * @param environment the environment
	 * @return the address
	 * @throws IllegalStateException for an invalid URL or node, or master/replica
	 */
	static RedisServerAddress of(Environment environment) {
		return of(environment, null);
	}

	/**
	 * The address the environment's {@code spring.data.redis.*} properties describe, with
	 * the SSL bundle {@code spring.data.redis.ssl.bundle} names.
	 * @param environment the environment
	 * @param sslBundles the application's SSL bundles, if it has any
	 * @return the address
	 * @throws IllegalStateException for an invalid URL or node, master/replica, or an SSL
	 * bundle named without SSL bundles
	 * @throws org.springframework.boot.ssl.NoSuchSslBundleException for an SSL bundle
	 * that the application does not have
	 */
	static RedisServerAddress of(Environment environment, @Nullable SslBundles sslBundles) {
		Binder binder = Binder.get(environment);
		rejectUnsupported(binder, "masterreplica.nodes",
				"a master/replica set-up (" + PREFIX + ".masterreplica.nodes)");
		Server server = server(binder);
		// as in Spring Boot: a bundle turns TLS on unless ssl.enabled says otherwise
		Boolean enabled = binder.bind(PREFIX + ".ssl.enabled", Boolean.class).orElse(null);
		SslBundle bundle = Boolean.FALSE.equals(enabled) ? null : sslBundle(binder, sslBundles);
		boolean ssl = server.ssl || bundle != null || Boolean.TRUE.equals(enabled);
		List<String> sentinels = binder.bind(PREFIX + ".sentinel.nodes", String[].class)
			.map(List::of)
			.orElse(List.of());
		List<String> clusterNodes = binder.bind(PREFIX + ".cluster.nodes", String[].class)
			.map(List::of)
			.orElse(List.of());
		if (sentinels.isEmpty() && !clusterNodes.isEmpty()) {
			return new RedisServerAddress(cluster(binder, server, clusterNodes), ssl, bundle);
		}
		if (sentinels.isEmpty()) {
			RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(server.host, server.port);
			configuration.setDatabase(server.database);
			configuration.setUsername(server.username);
			configuration.setPassword(RedisPassword.of(server.password));
			return new RedisServerAddress(configuration, ssl, bundle);
		}
		return new RedisServerAddress(sentinel(binder, server, sentinels), ssl, bundle);
	}

	private static @Nullable SslBundle sslBundle(Binder binder, @Nullable SslBundles sslBundles) {
		String name = binder.bind(PREFIX + ".ssl.bundle", String.class).orElse(null);
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (sslBundles == null) {
			throw new IllegalStateException(
					PREFIX + ".ssl.bundle is '" + name + "', but the application has no SslBundles bean");
		}
		return sslBundles.getBundle(name);
	}

	private static RedisSentinelConfiguration sentinel(Binder binder, Server server, List<String> nodes) {
		String master = binder.bind(PREFIX + ".sentinel.master", String.class)
			.orElseThrow(() -> new IllegalStateException(
					PREFIX + ".sentinel.master must be set when " + PREFIX + ".sentinel.nodes is"));
		RedisSentinelConfiguration configuration = new RedisSentinelConfiguration();
		configuration.master(master);
		for (String node : nodes) {
			configuration.addSentinel(node(node, "sentinel.nodes"));
		}
		configuration.setDatabase(server.database);
		configuration.setUsername(server.username);
		configuration.setPassword(RedisPassword.of(server.password));
		configuration.setSentinelUsername(binder.bind(PREFIX + ".sentinel.username", String.class).orElse(null));
		configuration.setSentinelPassword(
				RedisPassword.of(binder.bind(PREFIX + ".sentinel.password", String.class).orElse(null)));
		return configuration;
	}

	private static RedisClusterConfiguration cluster(Binder binder, Server server, List<String> nodes) {
		RedisClusterConfiguration configuration = new RedisClusterConfiguration();
		for (String node : nodes) {
			configuration.addClusterNode(node(node, "cluster.nodes"));
		}
		binder.bind(PREFIX + ".cluster.max-redirects", Integer.class).ifBound(configuration::setMaxRedirects);
		configuration.setUsername(server.username);
		configuration.setPassword(RedisPassword.of(server.password));
		return configuration;
	}

	private static Server server(Binder binder) {
		String url = binder.bind(PREFIX + ".url", String.class).orElse(null);
		if (StringUtils.hasText(url)) {
			return Server.ofUrl(url);
		}
		return new Server(binder.bind(PREFIX + ".host", String.class).orElse("localhost"),
				binder.bind(PREFIX + ".port", Integer.class).orElse(6379),
				binder.bind(PREFIX + ".username", String.class).orElse(null),
				binder.bind(PREFIX + ".password", String.class).orElse(null),
				binder.bind(PREFIX + ".database", Integer.class).orElse(0), false);
	}

	private static void rejectUnsupported(Binder binder, String property, String what) {
		if (!binder.bind(PREFIX + "." + property, String[].class).map(List::of).orElse(List.of()).isEmpty()) {
			throw new IllegalStateException(RedisServerAddress.UNSUPPORTED.formatted(what));
		}
	}

	private static RedisNode node(String node, String property) {
		int colon = node.lastIndexOf(':');
		try {
			return new RedisNode(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1)));
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(
					PREFIX + "." + property + " must list host:port pairs, but has '" + node + "'", ex);
		}
	}

	private record Server(String host, int port, @Nullable String username, @Nullable String password, int database,
			boolean ssl) {

		static Server ofUrl(String url) {
			URI uri;
			try {
				uri = new URI(url);
			}
			catch (URISyntaxException ex) {
				throw invalidUrl(url, ex);
			}
			if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
				throw invalidUrl(url, null);
			}
			String username = null;
			String password = null;
			String userInfo = uri.getUserInfo();
			if (userInfo != null) {
				int colon = userInfo.indexOf(':');
				username = (colon != -1) ? userInfo.substring(0, colon) : null;
				password = (colon != -1) ? userInfo.substring(colon + 1) : userInfo;
			}
			return new Server(uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 6379, username, password,
					database(url, uri), "rediss".equals(uri.getScheme()));
		}

		private static int database(String url, URI uri) {
			String database = (uri.getPath() != null) ? StringUtils.trimLeadingCharacter(uri.getPath(), '/') : "";
			try {
				return database.isEmpty() ? 0 : Integer.parseInt(database);
			}
			catch (NumberFormatException ex) {
				throw invalidUrl(url, ex);
			}
		}

		private static IllegalStateException invalidUrl(String url, @Nullable Exception cause) {
			return new IllegalStateException(PREFIX + ".url must be a redis:// or rediss:// URL such as "
					+ "redis://user:password@example.com:6379/0, but is '" + url + "'", cause);
		}

	}

}
