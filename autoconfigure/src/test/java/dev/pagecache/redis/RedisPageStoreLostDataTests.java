package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.MutableClock;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * Whatever Redis loses (an evicted key of any kind, the writes of a failed-over primary,
 * the memory to record an invalidation), a page is fresh or a miss: the store's own
 * records of the loss, tested key by key against a real Redis server.
 *
 * @author pagecache
 */
@WithRedisServer
class RedisPageStoreLostDataTests {

	private static final Duration TTL = Duration.ofMinutes(10);

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private String namespace;

	private String prefix;

	private RedisPageStore store;

	@BeforeAll
	static void connect() {
		connectionFactory = RedisConnections.connectionFactory(redis, Duration.ofSeconds(5));
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@BeforeEach
	void createStore() {
		this.namespace = "lost-" + UUID.randomUUID();
		this.prefix = "{" + this.namespace + "}:";
		this.store = new RedisPageStore(connectionFactory, this.namespace, Duration.ofSeconds(10), new MutableClock());
	}

	@AfterEach
	void restoreMemory() {
		redis.command("CONFIG", "SET", "maxmemory", "0");
		redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
	}

	@Test
	void anInvalidationThatFindsTheTagStateLostTurnsEveryPageIntoAMiss() {
		storePostHomeAndAbout();
		delete("tag-state:<epoch>");
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.lookup("/").isHit()).isFalse();
		// which tags were invalidated before is unknown too
		assertThat(this.store.lookup("/about").isHit()).isFalse();
		store("/posts/1", "Post#1", "route:/posts/{id}");
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
	}

	@Test
	void anInvalidationThatFindsAnIndexLostMakesItsPagesMissesAndNoOther() {
		storePostHomeAndAbout();
		delete("tag:<epoch>:Post#1");
		this.store.invalidate(List.of("Post#1"));
		// the pages outside the lost index are still in Redis, but each lookup now checks
		// a page's tags
		assertThat(exists("page:/posts/1")).isTrue();
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.INVALIDATED);
		assertThat(this.store.lookup("/").isHit()).isFalse();
		assertThat(this.store.lookup("/about").isHit()).isTrue();
		store("/posts/1", "Post#1", "route:/posts/{id}");
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
	}

	@Test
	void lookupsCheckPagesTagsOnlyUntilThePagesOutsideTheirIndexesExpire() {
		PageLookup first = lookupWithEpoch("/posts/1");
		assertThat(this.store.put("/posts/1", entry("one", "Post#1"), Duration.ofMillis(300), first)).isTrue();
		delete("tag:<epoch>:Post#1");
		store("/posts/1/comments", "Post#1");
		assertThat(redis.command("GET", this.prefix + "replication")).contains(" ");
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			store("/about", "route:/about");
			assertThat(redis.command("GET", this.prefix + "replication")).doesNotContain(" ");
		});
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1/comments").isHit()).isFalse();
		assertThat(this.store.lookup("/about").isHit()).isTrue();
	}

	@Test
	void pagesWhoseIndexWasLostBeforeAStoreBeganANewOneAreStillDroppedByTheirTagsInvalidation() {
		store("/posts/1", "Post#1", "route:/posts/{id}");
		delete("tag:<epoch>:Post#1");
		// the index this store begins holds only the new page
		store("/posts/1/comments", "Post#1");
		store("/about", "route:/about");
		this.store.invalidate(List.of("Post#2"));
		assertThat(this.store.lookup("/about").isHit()).isTrue();
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.lookup("/posts/1/comments").isHit()).isFalse();
	}

	@Test
	void aStoreThatFindsTheTagStateLostRefusesAndForgetsTheEpoch() {
		store("/posts/1", "Post#1");
		delete("tag-state:<epoch>");
		PageLookup lookup = lookupWithEpoch("/posts/2");
		assertThat(this.store.put("/posts/2", entry("two", "Post#2"), TTL, lookup)).isFalse();
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
	}

	@Test
	void aLostInvalidationRecordStillRefusesARenderThatStartedBeforeIt() {
		store("/posts/1", "Post#1");
		PageLookup before = this.store.lookup("/posts/2");
		this.store.invalidate(List.of("Post#2"));
		assertThat(this.store.put("/posts/2", entry("two", "Post#2"), TTL, before)).isFalse();
		PageLookup beforeLoss = this.store.lookup("/posts/3");
		this.store.invalidate(List.of("Post#3"));
		delete("tag-state:<epoch>");
		assertThat(this.store.put("/posts/3", entry("three", "Post#3"), TTL, beforeLoss)).isFalse();
	}

	@Test
	void anEpochBegunUnderAnotherReplicationIdIsNotTrusted() {
		store("/posts/1", "Post#1");
		String epoch = this.store.lookup("/posts/1").epoch();
		// what a promoted replica holds: the data as replicated, under its old primary's
		// id
		set("replication", "0123456789abcdef0123456789abcdef01234567");
		PageLookup afterFailover = this.store.lookup("/posts/1");
		assertThat(afterFailover.isHit()).isFalse();
		PageLookup renewed = this.store.lookup("/posts/1");
		assertThat(renewed.epoch()).isNotNull().isNotEqualTo(epoch);
		assertThat(renewed.isHit()).isFalse();
		assertThat(this.store.put("/posts/1", entry("one", "Post#1"), TTL, renewed)).isTrue();
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
	}

	@Test
	void aStoreUnderAnotherReplicationIdIsRefused() {
		PageLookup lookup = lookupWithEpoch("/posts/1");
		set("replication", "0123456789abcdef0123456789abcdef01234567");
		assertThat(this.store.put("/posts/1", entry("one", "Post#1"), TTL, lookup)).isFalse();
	}

	@Test
	void whereInfoIsDeniedPagesAreStillCachedAndInvalidated() {
		String user = "no-info-" + UUID.randomUUID();
		redis.command("ACL", "SETUSER", user, "on", ">secret", "~*", "&*", "+@all", "-info");
		LettuceConnectionFactory denied = RedisConnections.connectionFactory(redis, Duration.ofSeconds(5), user,
				"secret");
		try {
			assertThatRuntimeException()
				.isThrownBy(() -> RedisConnections.withConnection(denied,
						(connection) -> connection.serverCommands().info("replication")))
				.havingRootCause()
				.withMessageContaining("NOPERM");
			this.store = new RedisPageStore(denied, this.namespace, Duration.ofSeconds(10), new MutableClock());
			store("/posts/1", "Post#1");
			assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
			this.store.invalidate(List.of("Post#1"));
			assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		}
		finally {
			denied.destroy();
			redis.command("ACL", "DELUSER", user);
		}
	}

	@Test
	void anInvalidationOutOfMemoryDeletesItsPagesAndTurnsEveryOtherPageIntoAMiss() {
		store("/posts/1", "Post#1");
		store("/posts/2", "Post#2");
		redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
		redis.command("CONFIG", "SET", "maxmemory", "1");
		this.store.invalidate(List.of("Post#1"));
		assertThat(exists("page:/posts/1")).isFalse();
		assertThat(isHit("/posts/1")).isFalse();
		assertThat(isHit("/posts/2")).isFalse();
		redis.command("CONFIG", "SET", "maxmemory", "0");
		store("/posts/2", "Post#2");
		assertThat(this.store.lookup("/posts/2").isHit()).isTrue();
	}

	private boolean isHit(String key) {
		try {
			return this.store.lookup(key).isHit();
		}
		catch (PageStoreUnavailableException ex) {
			// out of memory, no new epoch can begin: served without the cache
			return false;
		}
	}

	private void storePostHomeAndAbout() {
		store("/posts/1", "Post#1", "route:/posts/{id}");
		store("/", "Post#1", "route:/");
		store("/about", "route:/about");
	}

	private void store(String key, String... tags) {
		PageLookup lookup = lookupWithEpoch(key);
		assertThat(this.store.put(key, entry(key, tags), TTL, lookup)).as("put of %s", key).isTrue();
		assertThat(this.store.lookup(key).isHit()).isTrue();
	}

	private PageLookup lookupWithEpoch(String key) {
		PageLookup lookup = this.store.lookup(key);
		return (lookup.epoch() != null) ? lookup : this.store.lookup(key);
	}

	private String epoch() {
		return redis.command("GET", this.prefix + "epoch");
	}

	private void delete(String key) {
		String name = this.prefix + key.replace("<epoch>", epoch());
		assertThat(redis.command("DEL", name)).isEqualTo(":1");
	}

	private void set(String key, String value) {
		redis.command("SET", this.prefix + key, value);
	}

	private boolean exists(String key) {
		return ":1".equals(redis.command("EXISTS", this.prefix + key));
	}

	private static PageEntry entry(String body, String... tags) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return new PageEntry(200, List.of(new PageEntry.Header("Content-Type", "text/html")), bytes, bytes.length,
				"\"" + Integer.toHexString(body.hashCode()) + "\"", 1_700_000_000_000L, Set.of(tags));
	}

}
