package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.MissReasonContractTests;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link MissReasonContractTests miss reasons} of {@link RedisPageStore} against a
 * real Redis, its markers and the fleet's statistics: still one round trip per lookup,
 * and a TTL on every key.
 */
@WithRedisServer
class RedisMissReasonTests extends MissReasonContractTests {

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private String namespace;

	@BeforeAll
	static void connect() {
		connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.getHost(), redis.getPort()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
		connectionFactory.afterPropertiesSet();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected PageStore createStore() {
		this.namespace = "test-" + UUID.randomUUID();
		RedisPageStore store = new RedisPageStore(connectionFactory, this.namespace, Duration.ofSeconds(10),
				Clock.systemUTC());
		store.lookup("/"); // creates the namespace's epoch
		return store;
	}

	@Override
	protected void putAndLetExpire(String key, String... tags) {
		put(key, Duration.ofMillis(50), tags);
		awaitMissing(pageKey(key));
	}

	@Override
	protected void evict(String key) {
		// what maxmemory eviction does: the page goes, nothing else is told
		assertThat(redis.command("DEL", pageKey(key))).isEqualTo(":1");
	}

	@Override
	protected void awaitForgotten(String key, Duration retention) {
		awaitMissing("{" + this.namespace + "}:miss-reason:page:" + key);
	}

	@Test
	void lookupStaysOneRoundTripWithMarkers() {
		put("/posts/1", "Post#1");
		this.store.lookup("/posts/1");
		long before = commandsExceptInfo();
		long lookupScriptsBefore = calls("evalsha");
		long mgetBefore = calls("mget");
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
		assertThat(this.store.lookup("/posts/2").missReason()).isEqualTo(MissReason.FIRST);
		// an MGET each, sent with INFO replication (left out: the test reads commandstats
		// with INFO too)
		assertThat(calls("evalsha") - lookupScriptsBefore).isZero();
		assertThat(calls("mget") - mgetBefore).isEqualTo(2);
		assertThat(commandsExceptInfo() - before).isEqualTo(2);
	}

	@Test
	void everyMarkerAndTheFleetStatisticsHaveATtl() {
		put("/posts/1", "Post#1");
		put("/posts/2", "Post#2");
		this.store.invalidate(List.of("Post#1"));
		((RedisPageStore) this.store).fleetStatisticsStore().add(Map.of("hits|/posts/{id}", 3L));
		List<String> keys = keys();
		assertThat(keys).contains("{" + this.namespace + "}:miss-reason:page:/posts/1",
				"{" + this.namespace + "}:miss-reason:page:/posts/2", "{" + this.namespace + "}:stats");
		assertThat(keys).allSatisfy((key) -> assertThat(pttl(key)).as(key).isPositive());
		assertThat(pttl("{" + this.namespace + "}:miss-reason:page:/posts/1"))
			.isLessThanOrEqualTo(RETENTION.toMillis());
		assertThat(pttl("{" + this.namespace + "}:miss-reason:page:/posts/2")).isGreaterThan(RETENTION.toMillis());
	}

	@Test
	void fleetStatisticsStoresAddUpWhatEveryInstanceAdds() {
		FleetStatisticsStore first = ((RedisPageStore) this.store).fleetStatisticsStore();
		FleetStatisticsStore second = new RedisPageStore(connectionFactory, this.namespace, Duration.ofSeconds(10),
				Clock.systemUTC())
			.fleetStatisticsStore();
		first.add(Map.of("hits|/posts/{id}", 3L, "invalidations|Post", 1L));
		second.add(Map.of("hits|/posts/{id}", 4L, "misses.first|/posts/{id}", 2L));
		first.add(Map.of());
		assertThat(second.read()).containsOnly(Map.entry("hits|/posts/{id}", 7L), Map.entry("invalidations|Post", 1L),
				Map.entry("misses.first|/posts/{id}", 2L));
	}

	private String pageKey(String key) {
		return "{" + this.namespace + "}:page:" + key;
	}

	private static void awaitMissing(String key) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!redis.command("EXISTS", key).equals(":0")) {
			assertThat(System.nanoTime()).as("expiry of " + key).isLessThan(deadline);
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	private List<String> keys() {
		List<String> keys = new ArrayList<>();
		try (RedisConnection connection = connectionFactory.getConnection();
				Cursor<byte[]> cursor = connection.keyCommands()
					.scan(ScanOptions.scanOptions().match("{" + this.namespace + "}:*").count(1000).build())) {
			cursor.forEachRemaining((key) -> keys.add(new String(key, StandardCharsets.UTF_8)));
		}
		return keys;
	}

	private static long pttl(String key) {
		return Long.parseLong(redis.command("PTTL", key).substring(1).trim());
	}

	private static long calls(String command) {
		for (String line : redis.command("INFO", "commandstats").split("\r\n")) {
			if (line.startsWith("cmdstat_" + command + ":calls=")) {
				return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return 0;
	}

	private static long commandsExceptInfo() {
		long total = 0;
		for (String line : redis.command("INFO", "commandstats").split("\r\n")) {
			if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
				total += Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
			}
		}
		return total;
	}

}
