package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.jspecify.annotations.Nullable;

import dev.pagecache.test.RedisClusterGroup;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connections to the test's Redis server as {@code pagecache} configures them, and what
 * the tests of this package read with them.
 *
 * @author pagecache
 */
final class RedisConnections {

	private RedisConnections() {
	}

	/**
	 * The keys of a namespace, each checked to have a TTL.
	 */
	static List<String> keysWithATtl(LettuceConnectionFactory factory, String namespace) {
		return withConnection(factory, (connection) -> {
			List<String> found = new ArrayList<>();
			ScanOptions options = ScanOptions.scanOptions().match("{" + namespace + "}:*").count(1000).build();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(options)) {
				cursor.forEachRemaining((key) -> {
					Long ttl = connection.keyCommands().pTtl(key);
					assertThat(ttl).as("PTTL of %s", new String(key, StandardCharsets.UTF_8)).isPositive();
					found.add(new String(key, StandardCharsets.UTF_8));
				});
			}
			return found;
		});
	}

	static <T> T withConnection(LettuceConnectionFactory factory, Function<RedisConnection, T> action) {
		try (RedisConnection connection = factory.getConnection()) {
			return action.apply(connection);
		}
	}

	static LettuceConnectionFactory connectionFactory(RedisServerProcess server, Duration commandTimeout) {
		return connectionFactory(server, commandTimeout, null, null);
	}

	static LettuceConnectionFactory connectionFactory(RedisServerProcess server, Duration commandTimeout,
			@Nullable String username, @Nullable String password) {
		return connectionFactory(server.getHost(), server.getPort(), commandTimeout, username, password);
	}

	static LettuceConnectionFactory connectionFactory(String host, int port, Duration commandTimeout,
			@Nullable String username, @Nullable String password) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(commandTimeout)
			.clientOptions(ClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.build())
			.build();
		RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(host, port);
		standalone.setUsername(username);
		if (password != null) {
			standalone.setPassword(password);
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(standalone, client);
		factory.afterPropertiesSet();
		return factory;
	}

	/**
	 * A connection factory for a cluster, following its topology as {@code pagecache}
	 * does.
	 */
	static LettuceConnectionFactory connectionFactory(RedisClusterGroup cluster, Duration commandTimeout) {
		LettuceClientConfiguration client = LettuceClientConfiguration.builder()
			.commandTimeout(commandTimeout)
			.clientOptions(ClusterClientOptions.builder()
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
					.build())
				.build())
			.build();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of(cluster.getNodes().split(","))), client);
		factory.afterPropertiesSet();
		return factory;
	}

}
