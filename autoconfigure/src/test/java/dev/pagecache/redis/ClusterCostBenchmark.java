package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RedisClusterGroup;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Redis store's operations cost on one server and on a Redis Cluster, with one
 * shard and with the default sixteen, measured in turns in one run: a hit, a miss (lookup
 * and store), an invalidation; and how 10,000 pages spread over the cluster's primaries.
 * Run by {@code benchmarks/cluster.sh}, never by the build.
 *
 * @author pagecache
 */
@EnabledIfSystemProperty(named = "pagecache.benchmark", matches = "true")
class ClusterCostBenchmark {

	private static final int PAGES = 1000;

	private static final int ROUNDS = Integer.getInteger("pagecache.benchmark.rounds", 5);

	private static final int OPERATIONS = Integer.getInteger("pagecache.benchmark.operations", 2000);

	private static final int SPREAD_PAGES = 10_000;

	private static final int CPU_PAGE_BYTES = 16 * 1024;

	@Test
	void costOfEachOperationOnOneServerAndOnTheCluster() {
		try (RedisServerProcess server = RedisServerProcess.start();
				RedisClusterGroup cluster = RedisClusterGroup.start()) {
			LettuceConnectionFactory standalone = RedisConnections.connectionFactory(server, Duration.ofSeconds(5));
			LettuceConnectionFactory clustered = RedisConnections.connectionFactory(cluster, Duration.ofSeconds(5));
			try {
				Map<String, PageStore> stores = new LinkedHashMap<>();
				stores.put("one server, 1 shard", store(standalone, 1));
				stores.put("cluster, 1 shard", store(clustered, 1));
				stores.put("cluster, 16 shards", store(clustered, RedisShards.DEFAULT_CLUSTER_SHARDS));
				Map<String, Samples> samples = new LinkedHashMap<>();
				stores.forEach((name, store) -> {
					fill(store);
					samples.put(name, new Samples());
				});
				for (int round = 0; round < ROUNDS; round++) {
					for (Map.Entry<String, PageStore> store : stores.entrySet()) {
						measure(store.getValue(), samples.get(store.getKey()), new Random(round));
					}
				}
				System.out.println("| Store | hit p50 | hit p99 | miss (lookup + store) p50 | invalidation p50 "
						+ "| invalidation p99 |");
				System.out.println("|---|---|---|---|---|---|");
				samples.forEach((name, sample) -> System.out.println(sample.row(name)));
				System.out.println();
				System.out.println(cpu(cluster, clustered));
				System.out.println();
				List<Integer> spread = spread(clustered);
				System.out.printf("Pages per primary after %d pages in 16 shards: %s (largest / smallest %.2f)%n",
						SPREAD_PAGES, spread, (double) spread.stream().mapToInt(Integer::intValue).max().orElseThrow()
								/ spread.stream().mapToInt(Integer::intValue).min().orElseThrow());
				stores.values().forEach(ClusterCostBenchmark::close);
			}
			finally {
				standalone.destroy();
				clustered.destroy();
			}
		}
	}

	private static PageStore store(LettuceConnectionFactory connectionFactory, int shards) {
		String namespace = "bench-" + UUID.randomUUID();
		if (shards == 1) {
			RedisPageStore store = new RedisPageStore(connectionFactory, namespace, Duration.ofSeconds(10),
					Clock.systemUTC());
			store.lookup("/");
			return store;
		}
		return ShardedRedisPageStoreTests.shardedStore(connectionFactory, namespace, shards, Clock.systemUTC());
	}

	private static void fill(PageStore store) {
		for (int i = 0; i < PAGES; i++) {
			put(store, "/posts/" + i, "Post#" + i);
		}
	}

	private static void put(PageStore store, String key, String tag) {
		PageLookup lookup = store.lookup(key);
		assertThat(store.put(key, entry(key, tag), Duration.ofMinutes(10), lookup)).isTrue();
	}

	private static void measure(PageStore store, Samples samples, Random random) {
		for (int i = 0; i < OPERATIONS; i++) {
			String key = "/posts/" + random.nextInt(PAGES);
			long start = System.nanoTime();
			boolean hit = store.lookup(key).isHit();
			samples.hits.add(System.nanoTime() - start);
			assertThat(hit).isTrue();
		}
		for (int i = 0; i < OPERATIONS / 10; i++) {
			String key = "/new/" + UUID.randomUUID();
			long start = System.nanoTime();
			PageLookup lookup = store.lookup(key);
			boolean stored = store.put(key, entry(key, "New"), Duration.ofMinutes(1), lookup);
			samples.misses.add(System.nanoTime() - start);
			assertThat(stored).isTrue();
		}
		for (int i = 0; i < OPERATIONS / 10; i++) {
			int page = random.nextInt(PAGES);
			long start = System.nanoTime();
			store.invalidate(List.of("Post#" + page));
			samples.invalidations.add(System.nanoTime() - start);
			put(store, "/posts/" + page, "Post#" + page);
		}
	}

	/**
	 * What the cluster's primaries spend, in CPU time (user and system, network
	 * included), per hit, per miss (lookup and store) and per invalidation of 16-shard
	 * pages of {@value #CPU_PAGE_BYTES} bytes: what sizes a cluster.
	 */
	private static String cpu(RedisClusterGroup cluster, LettuceConnectionFactory clustered) {
		ShardedRedisPageStore store = ShardedRedisPageStoreTests.shardedStore(clustered, "cpu-" + UUID.randomUUID(),
				RedisShards.DEFAULT_CLUSTER_SHARDS, Clock.systemUTC());
		byte[] body = new byte[CPU_PAGE_BYTES];
		new Random(1).nextBytes(body);
		for (int i = 0; i < PAGES; i++) {
			putPage(store, "/posts/" + i, body);
		}
		Random random = new Random(2);
		long hits = OPERATIONS * 10L;
		double before = primariesCpuMicros(cluster);
		for (int i = 0; i < hits; i++) {
			assertThat(store.lookup("/posts/" + random.nextInt(PAGES)).isHit()).isTrue();
		}
		double hit = (primariesCpuMicros(cluster) - before) / hits;
		before = primariesCpuMicros(cluster);
		for (int i = 0; i < OPERATIONS; i++) {
			putPage(store, "/new/" + i, body);
		}
		double miss = (primariesCpuMicros(cluster) - before) / OPERATIONS;
		int invalidations = OPERATIONS / 10;
		before = primariesCpuMicros(cluster);
		for (int i = 0; i < invalidations; i++) {
			store.invalidate(List.of("Post#" + random.nextInt(PAGES)));
		}
		double invalidation = (primariesCpuMicros(cluster) - before) / invalidations;
		store.close();
		return String.format(
				"Redis CPU time on the primaries (user + system), pages of %d bytes in 16 shards: "
						+ "%.0f µs per hit, %.0f µs per miss (lookup + store), %.0f µs per invalidation",
				CPU_PAGE_BYTES, hit, miss, invalidation);
	}

	private static void putPage(PageStore store, String key, byte[] body) {
		String tag = "Post#" + key.substring(key.lastIndexOf('/') + 1);
		PageEntry entry = new PageEntry(200, List.of(new PageEntry.Header("Content-Type", "text/html")), body,
				body.length * 4, "\"" + key.hashCode() + "\"", 1_700_000_000_000L, Set.of(tag));
		PageLookup lookup = store.lookup(key);
		assertThat(store.put(key, entry, Duration.ofMinutes(10), lookup)).isTrue();
	}

	private static double primariesCpuMicros(RedisClusterGroup cluster) {
		double seconds = 0;
		for (int slot : new int[] { 0, RedisClusterGroup.SLOTS / 2, RedisClusterGroup.SLOTS - 1 }) {
			String info = cluster.primaryOf(slot).command("INFO", "cpu");
			seconds += field(info, "used_cpu_user:") + field(info, "used_cpu_sys:");
		}
		return seconds * 1_000_000;
	}

	private static double field(String info, String name) {
		int start = info.indexOf(name) + name.length();
		int end = start;
		while (end < info.length() && !Character.isWhitespace(info.charAt(end))) {
			end++;
		}
		return Double.parseDouble(info.substring(start, end));
	}

	private static List<Integer> spread(LettuceConnectionFactory clustered) {
		String namespace = "spread-" + UUID.randomUUID();
		ShardedRedisPageStore store = ShardedRedisPageStoreTests.shardedStore(clustered, namespace,
				RedisShards.DEFAULT_CLUSTER_SHARDS, Clock.systemUTC());
		for (int i = 0; i < SPREAD_PAGES; i++) {
			put(store, "/pages/" + i, "Page#" + i);
		}
		store.close();
		byte[] pattern = ("{" + namespace + ":*}:page:*").getBytes(StandardCharsets.UTF_8);
		List<Integer> perPrimary = new ArrayList<>();
		try (RedisClusterConnection connection = clustered.getClusterConnection()) {
			for (RedisClusterNode node : connection.clusterGetNodes()) {
				if (node.isMaster()) {
					perPrimary.add(connection.keys(node, pattern).size());
				}
			}
		}
		return perPrimary;
	}

	private static void close(PageStore store) {
		if (store instanceof ShardedRedisPageStore sharded) {
			sharded.close();
		}
	}

	private static PageEntry entry(String body, String tag) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return new PageEntry(200, List.of(new PageEntry.Header("Content-Type", "text/html")), bytes, bytes.length,
				"\"" + Integer.toHexString(body.hashCode()) + "\"", 1_700_000_000_000L, Set.of(tag));
	}

	private static final class Samples {

		private final List<Long> hits = new ArrayList<>();

		private final List<Long> misses = new ArrayList<>();

		private final List<Long> invalidations = new ArrayList<>();

		String row(String name) {
			return "| " + name + " | " + micros(this.hits, 50) + " | " + micros(this.hits, 99) + " | "
					+ micros(this.misses, 50) + " | " + micros(this.invalidations, 50) + " | "
					+ micros(this.invalidations, 99) + " |";
		}

		private static String micros(List<Long> nanos, int percentile) {
			long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
			Arrays.sort(sorted);
			int index = Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percentile / 100.0) - 1);
			return (sorted[index] / 1000) + " µs";
		}

	}

}
