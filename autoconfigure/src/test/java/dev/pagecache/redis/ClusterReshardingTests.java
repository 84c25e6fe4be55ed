package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

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

/**
 * The slot of a shard moves to another primary of a real Redis Cluster while readers and
 * a writer use the sharded store: no read returns a page older than the last invalidation
 * that returned before it began, whatever the slot's state (moving key by key, then
 * moved); lookups that Redis cannot answer meanwhile are misses, served without the
 * cache; once the slot has moved, its shard caches again.
 * <p>
 * Each page's content is its version. The writer raises a page's version, then
 * invalidates its tag; a reader that misses renders the version of that moment and stores
 * it, guarded by its lookup.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "io.lettuce.core.cluster", because = "the client meets a slot on the move")
class ClusterReshardingTests {

	private static final int SHARDS = RedisShards.DEFAULT_CLUSTER_SHARDS;

	private static final int PAGES = 64;

	private static final int READERS = 3;

	/** Why the reads that Redis did not answer failed. */
	private static final Map<String, Integer> REASONS = new ConcurrentHashMap<>();

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
	void slotMovingUnderLoadServesNoStalePage() throws Exception {
		String namespace = "reshard-" + UUID.randomUUID();
		List<String> namespaces = RedisShards.namespaces(namespace, SHARDS);
		ShardedRedisPageStore store = ShardedRedisPageStoreTests.shardedStore(connectionFactory, namespace, SHARDS,
				Clock.systemUTC());
		// the database: each page's version, and the version whose invalidation returned
		AtomicIntegerArray versions = new AtomicIntegerArray(PAGES);
		AtomicIntegerArray invalidated = new AtomicIntegerArray(PAGES);
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger hits = new AtomicInteger();
		AtomicInteger unanswered = new AtomicInteger();
		List<String> stale = new ArrayList<>();
		int slot = SlotHash.getSlot(namespaces.get(RedisShards.of("/pages/0", SHARDS)));
		ExecutorService executor = Executors.newFixedThreadPool(READERS + 1);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int r = 0; r < READERS; r++) {
				Random random = new Random(r);
				tasks.add(executor.submit(() -> {
					while (running.get()) {
						read(store, random.nextInt(PAGES), versions, invalidated, hits, unanswered, stale);
					}
				}));
			}
			tasks.add(executor.submit(() -> {
				Random random = new Random(100);
				while (running.get()) {
					int page = random.nextInt(PAGES);
					int version = versions.incrementAndGet(page);
					try {
						store.invalidate(List.of("Page#" + page));
						invalidated.accumulateAndGet(page, version, Math::max);
					}
					catch (PageStoreUnavailableException ex) {
						// a lost invalidation: the shard clears itself before it serves
						// again
						unanswered.incrementAndGet();
						invalidated.accumulateAndGet(page, version, Math::max);
					}
					pause(5);
				}
			}));
			pause(500);
			RedisServerProcess target = cluster.migrateSlot(slot, 3, Duration.ofMillis(50));
			assertThat(cluster.primaryOf(slot).getPort()).isEqualTo(target.getPort());
			pause(1000);
			running.set(false);
			for (Future<?> task : tasks) {
				task.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			running.set(false);
			executor.shutdownNow();
		}
		try {
			System.out.println("ClusterReshardingTests: " + hits.get() + " hits, " + unanswered.get()
					+ " operations Redis did not answer, " + stale.size() + " stale reads; reads not answered: "
					+ REASONS);
			assertThat(stale).as("stale reads").isEmpty();
			assertThat(hits.get()).as("hits").isPositive();
			String key = "/pages/0";
			assertThat(cachesAgain(store, key, versions)).as("%s caches again in the moved slot", key).isTrue();
		}
		finally {
			store.close();
		}
	}

	private static void read(ShardedRedisPageStore store, int page, AtomicIntegerArray versions,
			AtomicIntegerArray invalidated, AtomicInteger hits, AtomicInteger unanswered, List<String> stale) {
		String key = "/pages/" + page;
		int atLeast = invalidated.get(page);
		try {
			PageLookup lookup = store.lookup(key);
			if (lookup.isHit()) {
				hits.incrementAndGet();
				int version = Integer.parseInt(new String(lookup.entry().gzippedBody(), StandardCharsets.UTF_8));
				if (version < atLeast) {
					synchronized (stale) {
						stale.add(key + " at version " + version + " after version " + atLeast + " was invalidated");
					}
				}
				return;
			}
			store.put(key, entry(versions.get(page), page), Duration.ofMinutes(10), lookup);
		}
		catch (PageStoreUnavailableException ex) {
			unanswered.incrementAndGet();
			String reason = String.valueOf(ex.getMessage()).replaceAll("[0-9]+", "N");
			REASONS.merge(reason.substring(0, Math.min(90, reason.length())), 1, Integer::sum);
		}
	}

	private static boolean cachesAgain(ShardedRedisPageStore store, String key, AtomicIntegerArray versions) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				PageLookup lookup = store.lookup(key);
				if (lookup.isHit()) {
					return true;
				}
				store.put(key, entry(versions.get(0), 0), Duration.ofMinutes(10), lookup);
			}
			catch (PageStoreUnavailableException ex) {
				// not answered yet
			}
			pause(50);
		}
		return false;
	}

	private static PageEntry entry(int version, int page) {
		byte[] body = Integer.toString(version).getBytes(StandardCharsets.UTF_8);
		return new PageEntry(200, List.of(new PageEntry.Header("Content-Type", "text/html")), body, body.length,
				"\"" + version + "\"", 1_700_000_000_000L, Set.of("Page#" + page));
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
