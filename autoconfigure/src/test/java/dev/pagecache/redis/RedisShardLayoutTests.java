package dev.pagecache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisShardLayout} on a real Redis server: instances that split a
 * namespace into the same number of shards start side by side; one that splits it
 * differently from a running instance does not start, until that instance stops or its
 * record lapses.
 *
 * @author pagecache
 */
@WithRedisServer
class RedisShardLayoutTests {

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private final List<RedisShardLayout> started = new ArrayList<>();

	private final String namespace = "layout-" + UUID.randomUUID();

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.connectionFactory(redis, Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void stop() {
		this.started.forEach(RedisShardLayout::stop);
	}

	@Test
	void instancesThatSplitTheNamespaceAlikeStartSideBySide() {
		start(16);
		RedisShardLayout second = start(16);
		assertThat(second.isRunning()).isTrue();
		assertThat(second.announce()).isEmpty();
	}

	@Test
	void instanceThatSplitsTheNamespaceDifferentlyFromARunningOneDoesNotStart() {
		start(16);
		start(16);
		RedisShardLayout other = layout(8);
		assertThatIllegalStateException().isThrownBy(other::start)
			.withMessageContaining("namespace '" + this.namespace + "' into [16] shards, this one into 8")
			.withMessageContaining("pagecache.redis.shards");
		assertThat(other.isRunning()).isFalse();
		RedisShardLayout one = layout(1);
		assertThatIllegalStateException().isThrownBy(one::start)
			.withMessageContaining("into [16] shards")
			.as("an instance that failed to start left no record");
	}

	@Test
	void instanceStartsWithAnotherSplitOnceTheRunningOnesStopped() {
		RedisShardLayout first = start(16);
		first.stop();
		assertThat(start(8).isRunning()).isTrue();
	}

	@Test
	void malformedRecordIsDroppedAndStopsNobody() {
		redis.command("HSET", "pagecache:shards:{" + this.namespace + "}", "somebody", "sixteen");
		assertThat(start(8).isRunning()).isTrue();
		assertThat(redis.command("HLEN", "pagecache:shards:{" + this.namespace + "}")).isEqualTo(":1");
	}

	@Test
	void recordNotRenewedForLongIsDroppedAndStopsNobody() {
		long lapsed = System.currentTimeMillis() - RedisShardLayout.STALE_AFTER.toMillis() - 1000;
		redis.command("HSET", "pagecache:shards:{" + this.namespace + "}", "crashed", "16 " + lapsed);
		RedisShardLayout restarted = start(8);
		assertThat(restarted.isRunning()).isTrue();
		assertThat(redis.command("HLEN", "pagecache:shards:{" + this.namespace + "}")).isEqualTo(":1");
	}

	@Test
	void unreachableRedisDoesNotStopTheStart() {
		LettuceConnectionFactory unreachable = RedisConnections.connectionFactory(redis.getHost(), 1,
				Duration.ofSeconds(1), null, null);
		try {
			RedisShardLayout layout = new RedisShardLayout(unreachable, this.namespace, 16);
			layout.start();
			assertThat(layout.isRunning()).isTrue();
			layout.stop();
		}
		finally {
			unreachable.destroy();
		}
	}

	@Test
	@ExpectedLogs(failedStartups = true,
			because = "an application that splits the namespace differently fails to start")
	void applicationThatSplitsTheNamespaceDifferentlyFromARunningOneFailsToStartNamingTheProperty() {
		WebApplicationContextRunner runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
					PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=" + redis.getHost(),
					"spring.data.redis.port=" + redis.getPort(), "pagecache.redis.namespace=" + this.namespace);
		runner.run((running) -> {
			assertThat(running).hasNotFailed();
			runner.withPropertyValues("pagecache.redis.shards=1").run((alike) -> assertThat(alike).hasNotFailed());
			runner.withPropertyValues("pagecache.redis.shards=4")
				.run((other) -> assertThat(other).getFailure()
					.rootCause()
					.hasMessageContaining("into [1] shards, this one into 4 (pagecache.redis.shards)"));
		});
		runner.withPropertyValues("pagecache.redis.shards=4").run((other) -> assertThat(other).hasNotFailed());
	}

	private RedisShardLayout start(int shards) {
		RedisShardLayout layout = layout(shards);
		layout.start();
		this.started.add(layout);
		return layout;
	}

	private RedisShardLayout layout(int shards) {
		return new RedisShardLayout(connectionFactory, this.namespace, shards);
	}

}
