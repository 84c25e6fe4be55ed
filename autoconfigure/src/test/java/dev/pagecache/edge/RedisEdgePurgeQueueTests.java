package dev.pagecache.edge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisEdgePurgeQueue} against a real Redis server: failed purges
 * outlive the instance that queued them, and wait in memory while Redis cannot be
 * reached.
 *
 * @author pagecache
 */
@WithRedisServer
class RedisEdgePurgeQueueTests {

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private final String namespace = "edge-" + UUID.randomUUID();

	@BeforeAll
	static void connect() {
		connectionFactory = connectionFactory(redis.getPort());
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Test
	void purgeQueuedByOneInstanceIsRetriedByAnother() {
		EdgePurger.Purge purge = new EdgePurger.Purge(Set.of(EdgePurger.Purge.token("Post#1")),
				Set.of("/posts/1?page=2"));
		new RedisEdgePurgeQueue(connectionFactory, this.namespace).add("varnish", purge);
		RedisEdgePurgeQueue other = new RedisEdgePurgeQueue(connectionFactory, this.namespace);
		assertThat(other.size("varnish")).isEqualTo(1);
		assertThat(other.size("fastly")).isZero();
		assertThat(other.peek("varnish")).isEqualTo(purge);
		other.remove("varnish", purge);
		assertThat(other.peek("varnish")).isNull();
		assertThat(other.size("varnish")).isZero();
	}

	@Test
	void queueIsAListWithATtlUnderTheNamespace() {
		RedisEdgePurgeQueue queue = new RedisEdgePurgeQueue(connectionFactory, this.namespace);
		queue.add("varnish", EdgePurger.Purge.ofTags(List.of("Post#1")));
		queue.add("varnish", EdgePurger.Purge.ofTags(List.of("Post#2")));
		String key = "{" + this.namespace + "}:edge-purges:varnish";
		assertThat(redis.command("LLEN", key)).isEqualTo(":2");
		long ttl = Long.parseLong(redis.command("PTTL", key).substring(1));
		assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofDays(1).toMillis());
		assertThat(queue.peek("varnish")).isEqualTo(EdgePurger.Purge.ofTags(List.of("Post#1")));
	}

	@Test
	void purgesWaitInMemoryWhileRedisCannotBeReached() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		LettuceConnectionFactory unreachable = connectionFactory(closedPort);
		try {
			RedisEdgePurgeQueue queue = new RedisEdgePurgeQueue(unreachable, this.namespace);
			EdgePurger.Purge purge = EdgePurger.Purge.ofTags(List.of("Post#1"));
			queue.add("varnish", purge);
			assertThat(queue.size("varnish")).isEqualTo(1);
			assertThat(queue.peek("varnish")).isEqualTo(purge);
			queue.remove("varnish", purge);
			assertThat(queue.size("varnish")).isZero();
		}
		finally {
			unreachable.destroy();
		}
	}

	private static LettuceConnectionFactory connectionFactory(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		factory.setValidateConnection(false);
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
