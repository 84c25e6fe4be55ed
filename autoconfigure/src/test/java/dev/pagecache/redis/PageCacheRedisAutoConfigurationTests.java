package dev.pagecache.redis;

import java.time.Duration;

import io.lettuce.core.cluster.ClusterClientOptions;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.web.PageCacheAutoConfiguration;
import dev.pagecache.web.PageCacheFilter;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

@ExpectedLogs(
		value = { "dev.pagecache.redis.PageCacheRedisAutoConfiguration",
				"io.lettuce.core.cluster.topology.DefaultClusterTopologyRefresh" },
		failedStartups = true,
		because = "contexts start without a reachable Redis (or cluster) or fail on invalid settings")
class PageCacheRedisAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
				PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class));

	@Test
	void redisIsTheDefaultStoreAndUsesItsOwnConnectionFactory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(PageStore.class);
			assertThat(context.getBean(PageStore.class)).isInstanceOf(RedisPageStore.class);
			assertThat(context).hasSingleBean(PageCacheFilter.class).hasSingleBean(PageCache.class);
			assertThat(context.getBean(RedisConnectionFactory.class))
				.isSameAs(context.getBean("redisConnectionFactory"));
			assertThat(context.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY))
				.isNotSameAs(context.getBean("redisConnectionFactory"));
		});
	}

	@Test
	void clusterNodesConnectTheStoreToTheClusterFollowingItsTopology() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001",
					"spring.data.redis.cluster.max-redirects=2")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ShardedRedisPageStore.class);
				assertThat(context.getBean(ShardedRedisPageStore.class)).extracting("shards")
					.asInstanceOf(InstanceOfAssertFactories.LIST)
					.hasSize(RedisShards.DEFAULT_CLUSTER_SHARDS);
				LettuceConnectionFactory factory = context.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY,
						LettuceConnectionFactory.class);
				assertThat(factory.getClusterConfiguration()).isNotNull();
				assertThat(factory.getClusterConfiguration().getClusterNodes()).hasSize(2);
				assertThat(factory.getClusterConfiguration().getMaxRedirects()).isEqualTo(2);
				assertThat(factory.getClientConfiguration().getClientOptions()).get()
					.isInstanceOfSatisfying(ClusterClientOptions.class,
							(options) -> assertThat(options.getTopologyRefreshOptions().isPeriodicRefreshEnabled())
								.isTrue());
			});
	}

	@Test
	void masterReplicaNodesFailStartUpNamingThePropertyWhenTheApplicationHasBootsRedisModule() {
		this.contextRunner.withPropertyValues("spring.data.redis.masterreplica.nodes=127.0.0.1:7000,127.0.0.1:7001")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("spring.data.redis.masterreplica.nodes")
					.hasMessageContaining("pagecache.store=memory");
			});
	}

	@Test
	void applicationStartsWhenRedisIsNotReachable() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=1")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RedisPageStore.class));
	}

	@Test
	void aCommandTimeoutLongerThanTheConnectTimeoutIsNotCutShortBySpringData() {
		this.contextRunner.withPropertyValues("pagecache.redis.timeout=2s", "pagecache.redis.connect-timeout=500ms")
			.run((context) -> assertThat(
					context.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY, LettuceConnectionFactory.class)
						.getClientConfiguration()
						.getCommandTimeout())
				.isEqualTo(Duration.ofSeconds(2)));
		this.contextRunner.withPropertyValues("pagecache.redis.timeout=100ms")
			.run((context) -> assertThat(
					context.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY, LettuceConnectionFactory.class)
						.getClientConfiguration()
						.getCommandTimeout())
				.isEqualTo(Duration.ofMillis(500)));
	}

	@Test
	void nearCacheIsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("pagecache.redis.near-cache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisNearCaches.class));
	}

	@Test
	void nearCacheIsOnByDefaultAndSetOnTheRedisStore() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=1").run((context) -> {
			assertThat(context).hasSingleBean(RedisNearCaches.class);
			RedisNearCaches nearCaches = context.getBean(RedisNearCaches.class);
			assertThat(nearCaches.isRunning()).isTrue();
			assertThat(nearCaches.get(0).isRunning()).isTrue();
			assertThat(nearCaches.get(0)).extracting("maxBytes")
				.isEqualTo(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 16));
			assertThat(context.getBean(RedisPageStore.class)).extracting("nearCache").isSameAs(nearCaches.get(0));
		});
	}

	@Test
	void shardsSplitTheNamespaceEachWithItsNearCache() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=1", "pagecache.redis.shards=4").run((context) -> {
			ShardedRedisPageStore store = context.getBean(ShardedRedisPageStore.class);
			RedisNearCaches nearCaches = context.getBean(RedisNearCaches.class);
			for (int i = 0; i < 4; i++) {
				RedisPageStore shard = store.shard(i);
				assertThat(shard).extracting("nearCache").isSameAs(nearCaches.get(i));
				assertThat(shard).extracting("maxPagesPerRoute").isEqualTo(2_500);
				assertThat(nearCaches.get(i)).extracting("maxBytes")
					.isEqualTo(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 16) / 4);
			}
		});
	}

	@Test
	void shardsOutsideTheirRangeFailStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("pagecache.redis.shards=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("pagecache.redis.shards");
		});
	}

	@Test
	void nearCacheRegistrationTtlShorterThanTwoHeartbeatsFailsWithThePropertyName() {
		assertInvalid("pagecache.redis.near-cache.registration-ttl=300ms",
				"pagecache.redis.near-cache.registration-ttl");
		assertInvalid("pagecache.redis.near-cache.max-size=0", "pagecache.redis.near-cache.max-size");
	}

	@Test
	void invalidNamespaceFailsWithThePropertyName() {
		assertInvalid("pagecache.redis.namespace=has space", "pagecache.redis.namespace");
	}

	private void assertInvalid(String property, String name) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(name);
		});
	}

}
