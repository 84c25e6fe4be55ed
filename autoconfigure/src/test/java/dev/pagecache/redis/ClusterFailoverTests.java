package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisClusterGroup;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A primary of a real Redis Cluster fails over while it holds pages of a sharded store
 * (invariant F3): an invalidation that the primary acknowledged and its replica never
 * received leaves no stale page; the shards the primary served begin new epochs (their
 * pages miss) while the shards of the other primaries keep theirs; caching resumes in
 * every shard once the client follows the new topology.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "io.lettuce.core.cluster.topology.DefaultClusterTopologyRefresh",
		because = "the client cannot reach the killed primary while it follows the topology")
class ClusterFailoverTests {

	private static final int PAGES = 200;

	private static final int SHARDS = RedisShards.DEFAULT_CLUSTER_SHARDS;

	private static final Duration ANSWERS_AGAIN_WITHIN = Duration.ofSeconds(15);

	private static RedisClusterGroup cluster;

	private static LettuceConnectionFactory connectionFactory;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterGroup.start();
		connectionFactory = RedisConnections.connectionFactory(cluster, Duration.ofSeconds(2));
	}

	@AfterAll
	static void stopCluster() {
		connectionFactory.destroy();
		cluster.close();
	}

	@Test
	void invalidationTheReplicaNeverReceivedLeavesNoStalePageAndOnlyTheFailedShardsStartOver() {
		String namespace = "failover-" + UUID.randomUUID();
		List<String> namespaces = RedisShards.namespaces(namespace, SHARDS);
		ShardedRedisPageStore store = ShardedRedisPageStoreTests.shardedStore(connectionFactory, namespace, SHARDS,
				Clock.systemUTC());
		try {
			for (int i = 0; i < PAGES; i++) {
				putFresh(store, "/posts/" + i, entry("post " + i, "Post#" + i));
			}
			int slot = SlotHash.getSlot(namespaces.get(RedisShards.of("/posts/0", SHARDS)));
			RedisServerProcess primary = cluster.primaryOf(slot);
			Set<String> failedShards = namespaces.stream()
				.filter((shard) -> cluster.primaryOf(SlotHash.getSlot(shard)).getPort() == primary.getPort())
				.collect(Collectors.toSet());
			assertThat(primary.command("WAIT", "1", "5000")).as("the replica has every page").isEqualTo(":1");
			cluster.cutReplicaLinkOf(slot);
			assertThat(store.invalidate(List.of("Post#0"))).isEqualTo(1);
			cluster.killPrimaryOf(slot);
			List<Integer> failedIndexes = IntStream.range(0, SHARDS)
				.filter((index) -> failedShards.contains(namespaces.get(index)))
				.boxed()
				.toList();
			assertThatExceptionOfType(PageStoreUnavailableException.class).as("the health check")
				.isThrownBy(store::check)
				.withMessageStartingWith("Shards " + failedIndexes + " of " + SHARDS + " ");
			cluster.resumeReplicas();
			cluster.awaitHealthy();
			for (int i = 0; i < PAGES; i++) {
				String key = "/posts/" + i;
				PageLookup lookup = lookupOnceAnswered(store, key);
				String shard = namespaces.get(RedisShards.of(key, SHARDS));
				if (i == 0 || failedShards.contains(shard)) {
					assertThat(lookup.isHit()).as("%s in shard %s of the failed primary", key, shard).isFalse();
				}
				else {
					assertThat(lookup.isHit()).as("%s in shard %s of another primary", key, shard).isTrue();
					assertThat(new String(lookup.entry().gzippedBody(), StandardCharsets.UTF_8)).isEqualTo("post " + i);
				}
			}
			store.check();
			putFresh(store, "/posts/0", entry("post 0 again", "Post#0"));
			assertThat(store.lookup("/posts/0").isHit()).as("caching resumes in the failed-over shard").isTrue();
		}
		finally {
			store.close();
		}
	}

	/**
	 * Look a page up until Redis answers: until the client has followed the new topology,
	 * a lookup may fail, which serves the request without the cache.
	 */
	private static PageLookup lookupOnceAnswered(ShardedRedisPageStore store, String key) {
		long deadline = System.nanoTime() + ANSWERS_AGAIN_WITHIN.toNanos();
		while (true) {
			try {
				return store.lookup(key);
			}
			catch (PageStoreUnavailableException ex) {
				assertThat(System.nanoTime()).as("answers again within %s: %s", ANSWERS_AGAIN_WITHIN, ex.getMessage())
					.isLessThan(deadline);
				sleep();
			}
		}
	}

	private static void putFresh(ShardedRedisPageStore store, String key, PageEntry entry) {
		long deadline = System.nanoTime() + ANSWERS_AGAIN_WITHIN.toNanos();
		while (true) {
			PageLookup lookup = lookupOnceAnswered(store, key);
			try {
				if (lookup.epoch() != null && store.put(key, entry, Duration.ofMinutes(10), lookup)) {
					return;
				}
			}
			catch (PageStoreUnavailableException ex) {
				// not answered yet: the lookup is made again
			}
			assertThat(System.nanoTime()).as("%s stored within %s", key, ANSWERS_AGAIN_WITHIN).isLessThan(deadline);
			sleep();
		}
	}

	private static PageEntry entry(String body, String... tags) {
		return new PageEntry(200, List.of(new PageEntry.Header("Content-Type", "text/html")),
				body.getBytes(StandardCharsets.UTF_8), body.length(),
				"\"" + Integer.toHexString(body.hashCode()) + "\"", 1_700_000_000_000L, Set.of(tags));
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
