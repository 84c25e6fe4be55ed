package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreContractTests;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ShardedRedisPageStore} on a real Redis server: the
 * {@link PageStoreContractTests contract} with the namespace split into four shards, and
 * that pages spread over the shards while an invalidation reaches every one.
 *
 * @author pagecache
 */
@WithRedisServer
class ShardedRedisPageStoreTests extends PageStoreContractTests {

	private static final int SHARDS = 4;

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private final List<ShardedRedisPageStore> created = new ArrayList<>();

	private String namespace;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.connectionFactory(redis, Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void close() {
		this.created.forEach(ShardedRedisPageStore::close);
	}

	@Override
	protected PageStore createStore(Clock clock) {
		this.namespace = "test-" + UUID.randomUUID();
		ShardedRedisPageStore store = shardedStore(connectionFactory, this.namespace, SHARDS, clock);
		this.created.add(store);
		return store;
	}

	/**
	 * A store of shards whose every epoch has begun.
	 */
	static ShardedRedisPageStore shardedStore(LettuceConnectionFactory connectionFactory, String namespace, int count,
			Clock clock) {
		List<RedisPageStore> shards = new ArrayList<>();
		for (String shardNamespace : RedisShards.namespaces(namespace, count)) {
			RedisPageStore shard = new RedisPageStore(connectionFactory, shardNamespace, MAX_RENDER_TIME, clock);
			// the first lookup of a shard begins its epoch, and accepts no put
			shard.lookup("/");
			shards.add(shard);
		}
		return new ShardedRedisPageStore(shards);
	}

	@Test
	void pagesSpreadOverTheShardsAndAnInvalidationReachesEveryOne() {
		Set<String> namespaces = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			putFresh("/posts/" + i, entry("post " + i, "Post#" + i, "Post:*"));
			namespaces.add(namespaceOfPage("/posts/" + i));
		}
		assertThat(namespaces).hasSize(SHARDS);
		assertThat(this.store.keysTagged("Post:*")).hasSize(40);
		assertThat(this.store.countTagged("Post:*").entries()).isEqualTo(40);
		assertThat(this.store.invalidate(List.of("Post:*"))).isEqualTo(40);
		for (int i = 0; i < 40; i++) {
			assertThat(this.store.lookup("/posts/" + i).isHit()).isFalse();
		}
	}

	@Test
	void nearCachesOfTheShardsShareOneSubscriptionAndFollowTheOtherInstancesInvalidations() {
		String namespace = "near-" + UUID.randomUUID();
		List<String> namespaces = RedisShards.namespaces(namespace, SHARDS);
		ShardedRedisPageStore writer = shardedStore(connectionFactory, namespace, SHARDS, Clock.systemUTC());
		ShardedRedisPageStore reader = shardedStore(connectionFactory, namespace, SHARDS, Clock.systemUTC());
		this.created.addAll(List.of(writer, reader));
		RedisNearCaches writerNear = nearCaches(writer, namespaces);
		RedisNearCaches readerNear = nearCaches(reader, namespaces);
		try {
			assertThat(redis.command("CLIENT", "LIST", "TYPE", "pubsub").lines())
				.as("subscriptions, one per instance for its %d shards", SHARDS)
				.hasSize(2);
			for (int i = 0; i < 20; i++) {
				String key = "/posts/" + i;
				assertThat(writer.put(key, entry("post " + i, "Post:*"), TTL, writer.lookup(key))).isTrue();
				assertThat(reader.lookup(key).isHit()).isTrue();
				assertThat(reader.lookup(key).isHit()).isTrue();
			}
			assertThat(readerNear.getHits()).as("second lookups served from the reader's memory").isEqualTo(20);
			writer.invalidate(List.of("Post:*"));
			for (int i = 0; i < 20; i++) {
				assertThat(reader.lookup("/posts/" + i).isHit()).as("dropped before the invalidation returned")
					.isFalse();
			}
		}
		finally {
			writerNear.stop();
			readerNear.stop();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(redis.command("CLIENT", "LIST", "TYPE", "pubsub")).isEmpty());
	}

	private static RedisNearCaches nearCaches(ShardedRedisPageStore store, List<String> namespaces) {
		RedisNearCaches nearCaches = new RedisNearCaches(connectionFactory, namespaces, 4 * 1024 * 1024,
				Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(400));
		for (int i = 0; i < namespaces.size(); i++) {
			store.shard(i).setNearCache(nearCaches.get(i));
		}
		nearCaches.start();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> IntStream.range(0, namespaces.size()).allMatch((i) -> nearCaches.get(i).isTrusted()));
		return nearCaches;
	}

	@Test
	void aPageLeaseIsHeldInThePagesShardAcrossInstances() {
		ShardedRedisPageStore other = shardedStore(connectionFactory, this.namespace, SHARDS, this.clock);
		this.created.add(other);
		for (int i = 0; i < 8; i++) {
			assertThat(this.store.lease("/posts/" + i, TTL)).isTrue();
			assertThat(other.lease("/posts/" + i, TTL)).as("/posts/%d leased by the first instance", i).isFalse();
			this.store.release("/posts/" + i);
			assertThat(other.lease("/posts/" + i, TTL)).isTrue();
		}
	}

	@Test
	void aRoutesMostPagesAreSharedOutBetweenTheShards() {
		ShardedRedisPageStore store = (ShardedRedisPageStore) this.store;
		for (int i = 0; i < SHARDS; i++) {
			store.shard(i).setMaxPagesPerRoute(2);
		}
		for (int id = 0; id < 40; id++) {
			putFresh("/items/" + id, entry("item " + id, "route:/items/{id}", "Item#" + id));
		}
		assertThat(this.store.countTagged("route:/items/{id}").entries()).isEqualTo(2L * SHARDS);
		assertThat(this.store.keysTagged("route:/items/{id}")).hasSize(2 * SHARDS);
	}

	@Test
	void fleetStatisticsLiveInTheFirstShard() {
		ShardedRedisPageStore store = (ShardedRedisPageStore) this.store;
		store.fleetStatisticsStore().add(Map.of("hits|/posts/{id}", 3L));
		assertThat(store.shard(0).fleetStatisticsStore().read()).containsEntry("hits|/posts/{id}", 3L);
		assertThat(store.shard(1).fleetStatisticsStore().read()).doesNotContainKey("hits|/posts/{id}");
	}

	@Test
	void shardNamespacesAreTheSameForEveryInstanceAndOneShardKeepsTheNamespace() {
		assertThat(RedisShards.namespaces("blog", 16)).isEqualTo(RedisShards.namespaces("blog", 16))
			.hasSize(16)
			.doesNotHaveDuplicates()
			.allMatch((shard) -> shard.startsWith("blog:"));
		assertThat(RedisShards.namespaces("blog", 1)).containsExactly("blog");
	}

	private String namespaceOfPage(String key) {
		for (String shard : RedisShards.namespaces(this.namespace, SHARDS)) {
			if ("1".equals(redis.command("EXISTS", "{" + shard + "}:" + RedisKeys.pageId(key)).substring(1))) {
				return shard;
			}
		}
		throw new AssertionError("No shard holds " + key);
	}

}
