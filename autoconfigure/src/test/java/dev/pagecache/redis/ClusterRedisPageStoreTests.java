package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreContractTests;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisClusterGroup;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@link PageStoreContractTests contract} of the Redis page store on a real Redis
 * Cluster of three primaries and three replicas, with the namespace split into the
 * default number of shards; pages spread over the primaries; the near caches follow the
 * invalidations of other instances.
 *
 * @author pagecache
 */
class ClusterRedisPageStoreTests extends PageStoreContractTests {

	private static RedisClusterGroup cluster;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterGroup.start();
		connectionFactory = RedisConnections.connectionFactory(cluster, Duration.ofSeconds(5));
	}

	@AfterAll
	static void stopCluster() {
		connectionFactory.destroy();
		cluster.close();
	}

	private final List<ShardedRedisPageStore> created = new ArrayList<>();

	private String namespace;

	@AfterEach
	void close() {
		this.created.forEach(ShardedRedisPageStore::close);
	}

	@Override
	protected PageStore createStore(Clock clock) {
		this.namespace = "test-" + UUID.randomUUID();
		ShardedRedisPageStore store = ShardedRedisPageStoreTests.shardedStore(connectionFactory, this.namespace,
				RedisShards.count(null, connectionFactory), clock);
		this.created.add(store);
		return store;
	}

	@Test
	void pagesSpreadEvenlyOverThePrimaries() {
		int pages = 2000;
		for (int i = 0; i < pages; i++) {
			putFresh("/posts/" + i, entry("post " + i, "Post#" + i));
		}
		byte[] pattern = ("{" + this.namespace + ":*}:page:*").getBytes(StandardCharsets.UTF_8);
		List<Integer> perPrimary = new ArrayList<>();
		try (RedisClusterConnection connection = connectionFactory.getClusterConnection()) {
			for (RedisClusterNode primary : connection.clusterGetNodes()) {
				if (primary.isMaster()) {
					perPrimary.add(connection.keys(primary, pattern).size());
				}
			}
		}
		assertThat(perPrimary).hasSize(3);
		assertThat(perPrimary.stream().mapToInt(Integer::intValue).sum()).isEqualTo(pages);
		// 16 shards over three primaries: 5, 6 and 5 of them
		assertThat(Collections.max(perPrimary)).as("pages per primary: %s", perPrimary)
			.isLessThan(Collections.min(perPrimary) * 3 / 2);
	}

	@Test
	void nearCachesOfTwoInstancesFollowEachOthersInvalidationsOverTheCluster() {
		String namespace = "near-" + UUID.randomUUID();
		RedisPageStore writer = new RedisPageStore(connectionFactory, namespace, MAX_RENDER_TIME, Clock.systemUTC());
		RedisPageStore reader = new RedisPageStore(connectionFactory, namespace, MAX_RENDER_TIME, Clock.systemUTC());
		// a near cache trusts no namespace without an epoch, which a first lookup begins
		writer.lookup("/");
		RedisNearCache writerNear = startedNearCache(namespace);
		RedisNearCache readerNear = startedNearCache(namespace);
		try {
			writer.setNearCache(writerNear);
			reader.setNearCache(readerNear);
			assertThat(writer.put("/posts/1", entry("one", "Post#1"), TTL, writer.lookup("/posts/1"))).isTrue();
			assertThat(reader.lookup("/posts/1").isHit()).isTrue();
			assertThat(reader.lookup("/posts/1").isHit()).isTrue();
			assertThat(readerNear.getHits()).as("served from the reader's memory").isEqualTo(1);
			writer.invalidate(List.of("Post#1"));
			assertThat(reader.lookup("/posts/1").isHit()).as("dropped before the invalidation returned").isFalse();
		}
		finally {
			writerNear.stop();
			readerNear.stop();
		}
	}

	@Test
	@ExpectedLogs(value = { "dev.pagecache.redis", "io.lettuce" },
			because = "an application is given a wrong password for the cluster")
	void aclUserOfTheClusterPropertiesIsTheStoresUserOnEveryPrimary() {
		String user = "pagecache-" + UUID.randomUUID();
		List<RedisServerProcess> nodes = cluster.getRunningNodes();
		nodes.forEach((node) -> assertThat(node.command("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all"))
			.isEqualTo("+OK"));
		try {
			WebApplicationContextRunner runner = new WebApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
								PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class))
				.withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.getNodes(),
						"spring.data.redis.username=" + user, "pagecache.redis.namespace=acl-" + UUID.randomUUID());
			runner.withPropertyValues("spring.data.redis.password=secret").run((context) -> {
				PageStore store = context.getBean(PageStore.class);
				store.check();
				for (int i = 0; i < 32; i++) {
					String key = "/posts/" + i;
					assertThat(store.put(key, entry("post " + i, "Post#" + i), TTL, store.lookup(key))).isTrue();
					assertThat(store.lookup(key).isHit()).isTrue();
				}
				for (int slot : new int[] { 0, RedisClusterGroup.SLOTS / 2, RedisClusterGroup.SLOTS - 1 }) {
					assertThat(cluster.primaryOf(slot).command("CLIENT", "LIST")).contains("user=" + user);
				}
			});
			runner.withPropertyValues("spring.data.redis.password=wrong")
				.run((context) -> assertThatExceptionOfType(RuntimeException.class)
					.isThrownBy(() -> context.getBean(PageStore.class).check()));
		}
		finally {
			nodes.forEach((node) -> node.command("ACL", "DELUSER", user));
		}
	}

	private static RedisNearCache startedNearCache(String namespace) {
		RedisNearCache near = new RedisNearCache(connectionFactory, namespace, 1024 * 1024, Duration.ofMinutes(1),
				Duration.ofMillis(100), Duration.ofMillis(400));
		near.start();
		await().atMost(Duration.ofSeconds(10)).until(near::isTrusted);
		return near;
	}

}
