package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreContractTests;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisPageStore} with a {@link RedisNearCache}, against a real Redis
 * server: the {@link PageStoreContractTests contract} holds with pages served from
 * memory, and what another instance invalidates is gone from this one's memory when the
 * invalidation returns, also when the message that carries it is lost.
 *
 * @author pagecache
 */
@WithRedisServer
class NearCachedRedisPageStoreTests extends PageStoreContractTests {

	private static final Duration HEARTBEAT = Duration.ofMillis(50);

	private static final Duration REGISTRATION = Duration.ofMillis(400);

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private String namespace;

	private RedisNearCache nearCache;

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
		this.namespace = "near-" + UUID.randomUUID();
		RedisPageStore store = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, clock);
		assertThat(store.lookup("/").epoch()).isNull();
		this.nearCache = startedNearCache(connectionFactory, this.namespace);
		store.setNearCache(this.nearCache);
		return store;
	}

	@AfterEach
	void stopNearCache() {
		this.nearCache.stop();
	}

	@Test
	void pageReadFromRedisOnceIsThenServedFromMemory() {
		putFresh("/posts/1", entry("one", "Post#1"));
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
		deleteFromRedis("/posts/1");
		assertThat(body(this.store.lookup("/posts/1"))).isEqualTo("one");
		assertThat(this.nearCache.getHits()).isEqualTo(1);
		assertThat(this.nearCache.size()).isEqualTo(1);
	}

	@Test
	void registrationsAndAcknowledgementsOfTheNearCachesHaveATtl() {
		putFresh("/posts/1", entry("one", "Post#1"));
		readIntoMemory("/posts/1");
		this.store.invalidate(List.of("Post#1"));
		String prefix = "{" + this.namespace + "}:";
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(RedisConnections.keysWithATtl(connectionFactory, this.namespace))
				.contains(prefix + "near-cache:instances", prefix + "near-cache:acknowledged"));
	}

	@Test
	void invalidationThroughAnotherInstanceIsAppliedHereBeforeItReturns() {
		putFresh("/posts/1", entry("one", "Post#1"));
		putFresh("/posts/2", entry("two", "Post#2"));
		readIntoMemory("/posts/1", "/posts/2");
		RedisPageStore other = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock);
		other.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.lookup("/posts/2").isHit()).isTrue();
		assertThat(this.nearCache.getHits()).isEqualTo(1);
	}

	@Test
	void clearThroughAnotherInstanceIsAppliedHereBeforeItReturns() {
		putFresh("/posts/1", entry("one", "Post#1"));
		readIntoMemory("/posts/1");
		new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock).clear();
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
	}

	@Test
	void invalidationWhoseMessageIsLostIsNeverMissedHere() {
		putFresh("/posts/1", entry("one", "Post#1"));
		readIntoMemory("/posts/1");
		RedisPageStore other = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock);
		redis.command("CLIENT", "KILL", "TYPE", "pubsub");
		long start = System.nanoTime();
		other.invalidate(List.of("Post#1"));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		// the writer waited for this instance's acknowledgement or registration, never
		// longer than the registration
		assertThat(waited).isLessThan(REGISTRATION.plusMillis(500));
		// once the subscription is back and a ping shows the gap, the near cache serves
		// again
		putFresh("/posts/1", entry("one again", "Post#1"));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.store.lookup("/posts/1");
			return this.nearCache.getHits() > 0;
		});
	}

	@Test
	void writerWaitsOneRegistrationWhileTheRegistrationsAreLost() {
		putFresh("/posts/1", entry("one", "Post#1"));
		readIntoMemory("/posts/1");
		RedisPageStore other = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock);
		RedisNearCache otherNearCache = startedNearCache(connectionFactory, this.namespace);
		other.setNearCache(otherNearCache);
		try {
			// the message to this instance is lost, and so are the registrations
			// (evicted): the writer cannot tell that this instance needs to be waited for
			redis.command("CLIENT", "KILL", "TYPE", "pubsub");
			redis.command("DEL", registrations());
			long start = System.nanoTime();
			other.invalidate(List.of("Post#1"));
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
			// the wait is counted on the server's clock, in whole milliseconds
			assertThat(waited).isBetween(REGISTRATION.minusMillis(2), REGISTRATION.plusMillis(500));
		}
		finally {
			otherNearCache.stop();
		}
	}

	@Test
	void writerWaitsUntilRegistrationsBegunAfterALossAreOneRegistrationOld() {
		putFresh("/posts/1", entry("one", "Post#1"));
		redis.command("DEL", registrations());
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> redis.command("HEXISTS", registrations(), "created").equals(":1"));
		long created = Long.parseLong(redis.command("HGET", registrations(), "created"));
		long start = System.nanoTime();
		long now = serverMillis();
		this.store.invalidate(List.of("Post#1"));
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		// until the registrations are one registration old, on the server's clock
		Duration young = Duration.ofMillis(created + REGISTRATION.toMillis() - now);
		assertThat(young).as("registrations still young when the invalidation began").isPositive();
		assertThat(waited).isBetween(young.minusMillis(20), REGISTRATION.plusMillis(500));
	}

	private static long serverMillis() {
		return serverMillis(redis);
	}

	private static long serverMillis(RedisServerProcess server) {
		String[] time = server.command("TIME").split("\n");
		return Long.parseLong(time[0].trim()) * 1000 + Long.parseLong(time[1].trim()) / 1000;
	}

	private String registrations() {
		return "{" + this.namespace + "}:near-cache:instances";
	}

	@Test
	void offerOfAPageReadBeforeAnInvalidationAppliedHereIsRefused() {
		putFresh("/posts/1", entry("one", "Post#1"));
		RedisPageStore other = new RedisPageStore(connectionFactory, this.namespace, MAX_RENDER_TIME, this.clock);
		PageLookup before = other.lookup("/posts/1");
		other.invalidate(List.of("Other#1"));
		this.nearCache.offer("/posts/1", before, 60_000);
		assertThat(this.nearCache.size()).isZero();
		this.nearCache.offer("/posts/1", other.lookup("/posts/1"), 60_000);
		assertThat(this.nearCache.size()).isOne();
	}

	@Test
	void nothingIsServedFromMemoryOnceRedisCannotBeReached() throws Exception {
		withOwnRedisAndAPageInMemory((own, store, near) -> {
			own.pause();
			try {
				await().atMost(REGISTRATION.plusSeconds(2)).until(() -> !near.isTrusted());
				assertThat(lookupOrNull(store, "/posts/1")).isNull();
				assertThat(near.getHits()).isEqualTo(1);
			}
			finally {
				own.resume();
			}
		});
	}

	/**
	 * An invalidation that could not reach Redis is made up for by a clear before the
	 * store serves anything again (F4). A reader that runs that clear does not wait for
	 * the other instances' near caches (here one that stopped answering, registered for
	 * 1.5 s more), and this instance's near cache serves nothing from before it; a write
	 * still waits for them.
	 */
	@Test
	void readerThatMakesUpForALostInvalidationWaitsForNoOtherInstance() throws Exception {
		withOwnRedisAndAPageInMemory((own, store, near) -> {
			own.pause();
			try {
				assertThatExceptionOfType(PageStoreUnavailableException.class)
					.isThrownBy(() -> store.invalidate(List.of("Post#1")));
			}
			finally {
				own.resume();
			}
			String instances = "{" + this.namespace + "}:near-cache:instances";
			long unresponsiveUntil = serverMillis(own) + 1500;
			own.command("HSET", instances, "unresponsive", Long.toString(unresponsiveUntil));
			long start = System.nanoTime();
			PageLookup recovered = store.lookup("/posts/1");
			Duration read = Duration.ofNanos(System.nanoTime() - start);
			assertThat(recovered.isHit()).isFalse();
			assertThat(read).as("the reader's wait").isLessThan(Duration.ofMillis(500));
			assertThat(store.lookup("/posts/1").isHit()).isFalse();
			assertThat(near.getHits()).isEqualTo(1);
			start = System.nanoTime();
			long writeBegan = serverMillis(own);
			store.clear();
			Duration written = Duration.ofNanos(System.nanoTime() - start);
			assertThat(written).as("the writer's wait")
				.isGreaterThanOrEqualTo(Duration.ofMillis(unresponsiveUntil - writeBegan - 50));
		});
	}

	/**
	 * Run a test on a Redis server of its own (command timeout 100 ms), with a store and
	 * a near cache that has served {@code /posts/1} once.
	 */
	private void withOwnRedisAndAPageInMemory(OwnRedisTest test) throws Exception {
		try (RedisServerProcess own = RedisServerProcess.start()) {
			LettuceConnectionFactory factory = RedisConnections.connectionFactory(own, Duration.ofMillis(100));
			RedisPageStore store = new RedisPageStore(factory, this.namespace, MAX_RENDER_TIME, this.clock);
			store.lookup("/posts/1");
			RedisNearCache near = startedNearCache(factory, this.namespace);
			try {
				store.setNearCache(near);
				PageLookup miss = store.lookup("/posts/1");
				assertThat(store.put("/posts/1", entry("one", "Post#1"), TTL, miss)).isTrue();
				assertThat(store.lookup("/posts/1").isHit()).isTrue();
				assertThat(store.lookup("/posts/1").isHit()).isTrue();
				assertThat(near.getHits()).isEqualTo(1);
				test.run(own, store, near);
			}
			finally {
				near.stop();
				factory.destroy();
			}
		}
	}

	@FunctionalInterface
	private interface OwnRedisTest {

		void run(RedisServerProcess own, RedisPageStore store, RedisNearCache near) throws Exception;

	}

	private void readIntoMemory(String... keys) {
		for (String key : keys) {
			assertThat(this.store.lookup(key).isHit()).isTrue();
		}
		assertThat(this.nearCache.size()).isEqualTo(keys.length);
	}

	private void deleteFromRedis(String key) {
		byte[] redisKey = ("{" + this.namespace + "}:page:" + key).getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = connectionFactory.getConnection()) {
			assertThat(connection.keyCommands().del(redisKey)).isEqualTo(1);
		}
	}

	private static PageLookup lookupOrNull(PageStore store, String key) {
		try {
			PageLookup lookup = store.lookup(key);
			return lookup.isHit() ? lookup : null;
		}
		catch (PageStoreUnavailableException ex) {
			return null;
		}
	}

	private static RedisNearCache startedNearCache(LettuceConnectionFactory factory, String namespace) {
		RedisNearCache near = new RedisNearCache(factory, namespace, 1024 * 1024, Duration.ofMinutes(1), HEARTBEAT,
				REGISTRATION);
		near.start();
		await().atMost(Duration.ofSeconds(10)).until(near::isTrusted);
		return near;
	}

}
