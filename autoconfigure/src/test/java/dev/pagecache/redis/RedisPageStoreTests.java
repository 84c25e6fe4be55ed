package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStore.PageCount;
import dev.pagecache.store.PageStoreContractTests;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisPageStore} against a real Redis server: the
 * {@link PageStoreContractTests contract}, the key layout, and the behaviour when Redis
 * fails. Tests that stop Redis own their server.
 *
 * @author pagecache
 */
@WithRedisServer
class RedisPageStoreTests extends PageStoreContractTests {

	private static final Duration OUTAGE_COMMAND_TIMEOUT = Duration.ofMillis(100);

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private String namespace;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.connectionFactory(redis, Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected PageStore createStore(Clock clock) {
		this.namespace = "test-" + UUID.randomUUID();
		RedisPageStore store = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, clock);
		// the first lookup of a namespace creates its epoch and accepts no put (see the
		// test below)
		assertThat(store.lookup("/").epoch()).isNull();
		return store;
	}

	@Test
	void nameIsRedis() {
		assertThat(this.store.getName()).isEqualTo("redis");
	}

	@Test
	void everyKeyTheStoreWritesHasATtl() {
		RedisPageStore redisStore = (RedisPageStore) this.store;
		redisStore.setMissReasonRetention(Duration.ofHours(1));
		putFresh("/posts/1", entry("one", "Post#1", "Post:*"));
		putFresh("/search?q=" + "x".repeat(300), entry("search", "Search", "Post:*"));
		this.store.invalidate(List.of("Post#1", "Never#used"));
		this.store.keysTagged("Post:*");
		this.store.clear();
		putFresh("/posts/2", entry("two", "Post#2"));
		this.store.invalidate(List.of());
		redisStore.fleetStatisticsStore().add(Map.of("hits|/posts/{id}", 1L));
		this.store.addRequests(Map.of("/posts/1", 3L));
		this.store.addRequests(Map.of("/posts/2", 3L));
		List<String> keys = RedisConnections.keysWithATtl(connectionFactory, this.namespace);
		String prefix = "{" + this.namespace + "}:";
		// pages, miss markers, the tag state, the replication id and the fleet's figures
		// (the near caches'
		// keys: see
		// NearCachedRedisPageStoreTests)
		assertThat(keys).contains(prefix + "sequence", prefix + "epoch", prefix + "page:/posts/2",
				prefix + "miss-reason:page:/posts/2", prefix + "miss-reason:page:/posts/1", prefix + "replication",
				prefix + "stats", prefix + "hot", prefix + "hot-decayed");
		assertThat(keys).anyMatch((key) -> key.startsWith(prefix + "tag-state:"));
		assertThat(keys).anyMatch((key) -> key.startsWith(prefix + "page-sha256:")
				&& key.length() == prefix.length() + "page-sha256:".length() + 43);
		assertThat(keys).anyMatch((key) -> key.startsWith(prefix + "tag:") && key.endsWith(":Post#2"));
	}

	@Test
	void pageKeysLiveAsLongAsTheirEntryAndIndexesAtLeastAsLongAsTheirLongestEntry() {
		PageLookup lookup = lookupWithEpoch("/posts/1");
		this.store.put("/posts/1", entry("one", "Post:*"), Duration.ofHours(1), lookup);
		this.store.put("/posts", entry("list", "Post:*"), Duration.ofMinutes(1), lookupWithEpoch("/posts"));
		String prefix = "{" + this.namespace + "}:";
		long pagePttl = pTtl(prefix + "page:/posts/1");
		assertThat(pagePttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
		assertThat(pTtl(prefix + "page:/posts")).isBetween(1L, Duration.ofMinutes(1).toMillis());
		long indexPttl = pTtl(prefix + "tag:" + lookup.epoch() + ":Post:*");
		assertThat(indexPttl).isGreaterThanOrEqualTo(pagePttl - 1000);
		assertThat(pTtl(prefix + "epoch")).isGreaterThan(Duration.ofDays(29).toMillis());
	}

	@Test
	void aFullRouteMakesRoomByDeletingItsLeastRecentlyUsedPage() throws InterruptedException {
		((RedisPageStore) this.store).setMaxPagesPerRoute(3);
		for (int id = 1; id <= 3; id++) {
			putFresh("/items/" + id, entry("item " + id, "route:/items/{id}", "Item#" + id));
		}
		// Redis keeps idle times in seconds: /items/2 becomes the least recently used
		Thread.sleep(1100);
		assertThat(this.store.lookup("/items/1").isHit()).isTrue();
		assertThat(this.store.lookup("/items/3").isHit()).isTrue();
		putFresh("/items/4", entry("item 4", "route:/items/{id}", "Item#4"));
		assertThat(this.store.lookup("/items/4").isHit()).isTrue();
		assertThat(this.store.lookup("/items/2").isHit()).isFalse();
		assertThat(this.store.lookup("/items/1").isHit()).isTrue();
		assertThat(this.store.lookup("/items/3").isHit()).isTrue();
		assertThat(this.store.countTagged("route:/items/{id}")).isEqualTo(PageCount.exact(3));
		putFresh("/items/3", entry("item 3 again", "route:/items/{id}", "Item#3"));
		putFresh("/other", entry("other", "route:/other"));
		assertThat(body(this.store.lookup("/items/3"))).isEqualTo("item 3 again");
	}

	@Test
	void aFloodOfNewPagesInAFullRouteNeverLocksItsHotPageOut() {
		((RedisPageStore) this.store).setMaxPagesPerRoute(50);
		putFresh("/items/1", entry("hot", "route:/items/{id}", "Item#1"));
		int misses = 0;
		for (int id = 2; id <= 2_000; id++) {
			putFresh("/items/" + id, entry("cold", "route:/items/{id}", "Item#" + id));
			if (id % 200 == 0) {
				this.store.invalidate(List.of("Item#1"));
			}
			if (!this.store.lookup("/items/1").isHit()) {
				misses++;
				// rendered again, as the filter does after a miss
				putFresh("/items/1", entry("hot", "route:/items/{id}", "Item#1"));
			}
		}
		// one miss after each invalidation, and a few more: the flood turns the route's
		// 50
		// pages over many times a second, faster than Redis's idle clock (seconds) tells
		// them apart; refusing new pages instead locked the page out after the first
		// invalidation (1,990 misses)
		assertThat(misses).isBetween(10, 100);
		assertThat(this.store.countTagged("route:/items/{id}")).isEqualTo(PageCount.estimated(50));
	}

	@Test
	void aRouteThatChurnsItsPagesKeepsOnlyItsPagesRecordsAndItsEpoch() {
		((RedisPageStore) this.store).setMaxPagesPerRoute(2);
		String epoch = lookupWithEpoch("/items/1").epoch();
		for (int id = 1; id <= 20; id++) {
			putFresh("/items/" + id, entry("item " + id, "route:/items/{id}", "Item#" + id, "Item:*"));
		}
		assertThat(this.store.lookup("/items/20").epoch()).isEqualTo(epoch);
		assertThat(this.store.countTagged("route:/items/{id}")).isEqualTo(PageCount.exact(2));
		assertThat(this.store.countTagged("Item:*")).isEqualTo(PageCount.exact(2));
		String prefix = "{" + this.namespace + "}:";
		assertThat(RedisConnections.keysWithATtl(connectionFactory, this.namespace))
			.filteredOn((key) -> key.startsWith(prefix + "page-tags:"))
			.hasSize(2);
		// the tags of deleted pages have no pages left: invalidating them finds nothing
		// lost
		this.store.invalidate(List.of("Item#1"));
		assertThat(this.store.lookup("/items/20").isHit()).isTrue();
		this.store.invalidate(List.of("Item:*"));
		assertThat(this.store.lookup("/items/20").isHit()).isFalse();
		assertThat(this.store.lookup("/items/20").epoch()).isEqualTo(epoch);
	}

	@Test
	void aStoredPageGivesItsRenderLeaseBackAndARefusedOneKeepsIt() {
		RedisPageStore other = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock);
		PageLookup lookup = lookupWithEpoch("/posts/1");
		assertThat(this.store.lease("/posts/1", TTL)).isTrue();
		assertThat(other.lease("/posts/1", TTL)).isFalse();
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.put("/posts/1", entry("one", "Post#1"), TTL, lookup)).isFalse();
		assertThat(other.lease("/posts/1", TTL)).isFalse();
		putFresh("/posts/1", entry("one", "Post#1"));
		assertThat(other.lease("/posts/1", TTL)).isTrue();
	}

	/**
	 * A lease command that timed out may still have reached Redis: the instance holds the
	 * lease without knowing it, and its next leader of the page must not wait for itself.
	 */
	@Test
	void renderLeaseThisInstanceHoldsAlreadyIsTakenAgain() {
		RedisPageStore other = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock);
		assertThat(this.store.lease("/posts/1", TTL)).isTrue();
		assertThat(this.store.lease("/posts/1", TTL)).isTrue();
		assertThat(other.lease("/posts/1", TTL)).isFalse();
	}

	@Test
	void entryInAnUnknownFormatIsAMiss() {
		putFresh("/posts/1", entry("one", "Post#1"));
		byte[] key = ("{" + this.namespace + "}:page:/posts/1").getBytes(StandardCharsets.UTF_8);
		byte[] stored = RedisConnections.withConnection(connectionFactory,
				(connection) -> connection.stringCommands().get(key));
		byte[] future = Arrays.copyOf(stored, stored.length);
		future[PageValue.HEADER_LENGTH + 2] = 99;
		setRaw(key, future);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		byte[] past = Arrays.copyOf(stored, stored.length);
		past[PageValue.HEADER_LENGTH + 2] = 0;
		setRaw(key, past);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		setRaw(key, Arrays.copyOf(stored, PageValue.HEADER_LENGTH + 10));
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		setRaw(key, "garbage".getBytes(StandardCharsets.UTF_8));
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		setRaw(key, stored);
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
	}

	@Test
	void firstLookupWithoutAnEpochCreatesItAndAcceptsNoPut() {
		this.store = new RedisPageStore(connectionFactory, "fresh-" + UUID.randomUUID(), MAX_RENDER_TIME, this.clock);
		PageLookup first = this.store.lookup("/posts/1");
		assertThat(first.epoch()).isNull();
		assertThat(this.store.put("/posts/1", entry("one"), TTL, first)).isFalse();
		PageLookup second = this.store.lookup("/posts/1");
		assertThat(second.epoch()).hasSize(PageValue.EPOCH_LENGTH);
		assertThat(this.store.put("/posts/1", entry("one"), TTL, second)).isTrue();
	}

	@Test
	void lostEpochMakesEveryEntryAMiss() {
		putFresh("/posts/1", entry("one", "Post#1"));
		PageLookup before = this.store.lookup("/posts/2");
		redis.command("DEL", "{" + this.namespace + "}:epoch");
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.put("/posts/2", entry("two"), TTL, before)).isFalse();
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
	}

	@Test
	void lostSequenceRefusesPutsFromEarlierLookupsAndDropsEntriesAtTheNextInvalidation() {
		putFresh("/posts/1", entry("one", "Post#1"));
		this.store.invalidate(List.of("Post#1"));
		putFresh("/posts/1", entry("one", "Post#1"));
		putFresh("/about", entry("about"));
		PageLookup before = this.store.lookup("/posts/2");
		redis.command("DEL", "{" + this.namespace + "}:sequence");
		assertThat(this.store.put("/posts/2", entry("two", "Post#2"), TTL, before)).isFalse();
		this.store.invalidate(List.of("Post#2"));
		assertThat(this.store.lookup("/about").isHit()).isFalse();
		putFresh("/about", entry("about"));
		assertThat(this.store.lookup("/about").isHit()).isTrue();
	}

	@Test
	void epochWithoutItsCounterIsRenewedByTheNextLookupSoThatPagesAreStoredAgain() {
		putFresh("/posts/1", entry("one", "Post#1"));
		redis.command("DEL", "{" + this.namespace + "}:sequence");
		PageLookup renewing = this.store.lookup("/posts/1");
		assertThat(renewing.isHit()).isFalse();
		assertThat(renewing.epoch()).isNull();
		PageLookup renewed = this.store.lookup("/posts/1");
		assertThat(renewed.isHit()).isFalse();
		assertThat(this.store.put("/posts/1", entry("one", "Post#1"), TTL, renewed)).isTrue();
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
	}

	@Test
	void scriptsAreSentAgainAfterScriptFlush() {
		putFresh("/posts/1", entry("one", "Post#1"));
		assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
		assertThat(this.store.invalidate(List.of("Post#1"))).isEqualTo(1);
		assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
		putFresh("/posts/1", entry("one", "Post#1"));
		assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
		assertThat(this.store.keysTagged("Post#1")).containsExactly("/posts/1");
		assertThat(redis.command("SCRIPT", "FLUSH")).isEqualTo("+OK");
		this.store.clear();
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
	}

	@Test
	void namespaceWithBracesIsRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new RedisPageStore(connectionFactory, "a{b}", MAX_RENDER_TIME, this.clock))
			.withMessageContaining("hash tag");
	}

	@Test
	void operationsFailFastWithPageStoreUnavailableExceptionWhenRedisIsDown() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(server, OUTAGE_COMMAND_TIMEOUT);
			try {
				RedisPageStore store = new RedisPageStore(factory, "outage", MAX_RENDER_TIME, this.clock);
				store.lookup("/posts/1");
				PageLookup lookup = store.lookup("/posts/1");
				assertThat(store.put("/posts/1", entry("one", "Post#1"), TTL, lookup)).isTrue();
				server.kill();
				for (int i = 0; i < 2; i++) {
					assertUnavailableWithin(Duration.ofSeconds(1), () -> store.lookup("/posts/1"));
					assertUnavailableWithin(Duration.ofSeconds(1),
							() -> store.put("/posts/1", entry("one", "Post#1"), TTL, lookup));
					assertUnavailableWithin(Duration.ofSeconds(1), () -> store.invalidate(List.of("Post#1")));
					assertUnavailableWithin(Duration.ofSeconds(1), () -> store.keysTagged("Post#1"));
					assertUnavailableWithin(Duration.ofSeconds(1), () -> {
						store.clear();
						return null;
					});
				}
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void circuitBreakerFailsFastThenProbesAgainAfterTheOpenDuration() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(server, OUTAGE_COMMAND_TIMEOUT);
			try {
				RedisPageStore store = new RedisPageStore(factory, "breaker", MAX_RENDER_TIME, this.clock);
				store.setCircuitBreaker(2, Duration.ofSeconds(5));
				store.lookup("/posts/1");
				server.pause();
				try {
					for (int i = 0; i < 2; i++) {
						assertThatExceptionOfType(PageStoreUnavailableException.class)
							.isThrownBy(() -> store.lookup("/posts/1"))
							.withMessageContaining("failed");
					}
					assertThatExceptionOfType(PageStoreUnavailableException.class)
						.isThrownBy(() -> store.lookup("/posts/1"))
						.withMessageContaining("circuit breaker open");
				}
				finally {
					server.resume();
				}
				assertThatExceptionOfType(PageStoreUnavailableException.class)
					.isThrownBy(() -> store.lookup("/posts/1"))
					.withMessageContaining("circuit breaker open");
				this.clock.advance(Duration.ofSeconds(5));
				await().atMost(Duration.ofSeconds(10)).until(() -> succeeds(() -> store.lookup("/posts/1")));
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void invalidationLostWhileRedisHungEmptiesTheCacheBeforeAnythingIsServedAgain() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(server, OUTAGE_COMMAND_TIMEOUT);
			try {
				RedisPageStore store = new RedisPageStore(factory, "hung", MAX_RENDER_TIME, this.clock);
				store.setCircuitBreaker(1, Duration.ofSeconds(1));
				store.lookup("/posts/1");
				PageLookup lookup = store.lookup("/posts/1");
				assertThat(store.put("/posts/1", entry("one", "Post#1"), TTL, lookup)).isTrue();
				assertThat(store.put("/about", entry("about"), TTL, store.lookup("/about"))).isTrue();
				server.pause();
				try {
					assertThatExceptionOfType(PageStoreUnavailableException.class)
						.isThrownBy(() -> store.lookup("/posts/1"));
					// the breaker is open: this invalidation never reaches Redis
					assertThatExceptionOfType(PageStoreUnavailableException.class)
						.isThrownBy(() -> store.invalidate(List.of("Post#1")))
						.withMessageContaining("circuit breaker open");
				}
				finally {
					server.resume();
				}
				assertThat(server.command("EXISTS", "{hung}:page:/posts/1")).isEqualTo(":1");
				this.clock.advance(Duration.ofSeconds(1));
				PageLookup after = await().atMost(Duration.ofSeconds(10))
					.until(() -> lookupOrNull(store, "/posts/1"), (result) -> result != null);
				assertThat(after.isHit()).isFalse();
				assertThat(store.lookup("/about").isHit()).isFalse();
				assertThat(store.put("/posts/1", entry("stale", "Post#1"), TTL, lookup)).isFalse();
				assertThat(store.put("/posts/1", entry("one", "Post#1"), TTL, after)).isTrue();
				assertThat(store.lookup("/posts/1").isHit()).isTrue();
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void invalidationLostWhileRedisWasDownEmptiesTheCacheOnceRedisIsBack() {
		try (RedisServerProcess server = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(server, OUTAGE_COMMAND_TIMEOUT);
			try {
				RedisPageStore writer = new RedisPageStore(factory, "restart", MAX_RENDER_TIME, this.clock);
				RedisPageStore other = new RedisPageStore(factory, "restart", MAX_RENDER_TIME, this.clock);
				writer.lookup("/posts/1");
				assertThat(writer.put("/posts/1", entry("one", "Post#1"), TTL, writer.lookup("/posts/1"))).isTrue();
				server.kill();
				assertThatExceptionOfType(PageStoreUnavailableException.class)
					.isThrownBy(() -> writer.invalidate(List.of("Post#1")));
				server.restart();
				// another instance, which lost nothing, fills the cache again
				awaitAvailable(other);
				other.lookup("/posts/2");
				assertThat(other.put("/posts/2", entry("two", "Post#2"), TTL, other.lookup("/posts/2"))).isTrue();
				assertThat(other.lookup("/posts/2").isHit()).isTrue();
				PageLookup first = await().atMost(Duration.ofSeconds(10)).until(() -> {
					this.clock.advance(Duration.ofSeconds(1));
					return lookupOrNull(writer, "/posts/2");
				}, (result) -> result != null);
				assertThat(first.isHit()).isFalse();
				assertThat(other.lookup("/posts/2").isHit()).isFalse();
			}
			finally {
				factory.destroy();
			}
		}
	}

	private PageLookup lookupWithEpoch(String key) {
		PageLookup lookup = this.store.lookup(key);
		return (lookup.epoch() != null) ? lookup : this.store.lookup(key);
	}

	private void awaitAvailable(PageStore store) {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.clock.advance(Duration.ofSeconds(1));
			return succeeds(() -> store.lookup("/probe"));
		});
	}

	private static PageLookup lookupOrNull(PageStore store, String key) {
		try {
			return store.lookup(key);
		}
		catch (PageStoreUnavailableException ex) {
			return null;
		}
	}

	private static boolean succeeds(Supplier<?> operation) {
		try {
			operation.get();
			return true;
		}
		catch (PageStoreUnavailableException ex) {
			return false;
		}
	}

	private static void assertUnavailableWithin(Duration bound, Supplier<?> operation) {
		long start = System.nanoTime();
		assertThatExceptionOfType(PageStoreUnavailableException.class).isThrownBy(operation::get);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
	}

	private long pTtl(String key) {
		Long ttl = RedisConnections.withConnection(connectionFactory,
				(connection) -> connection.keyCommands().pTtl(key.getBytes(StandardCharsets.UTF_8)));
		return (ttl != null) ? ttl : -2;
	}

	private void setRaw(byte[] key, byte[] value) {
		RedisConnections.withConnection(connectionFactory,
				(connection) -> connection.stringCommands().pSetEx(key, 60_000, value));
	}

}
