package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one Redis, each with a near cache; the second one's connections go
 * through a {@link FreezableProxy}. It stops hearing Redis (a GC pause, a stalled
 * network) for longer than its registration while the first writes a page it holds in
 * memory; once it hears Redis again, it never serves the old page from memory, neither
 * while frozen nor while the messages it missed are still arriving, and it serves from
 * memory again afterwards. Frozen two ways: everything (the instance is paused, its
 * heartbeats do not reach Redis and its registration lapses) or only what Redis sends
 * (its heartbeats keep it registered, so the writer waits for it, but it hears neither
 * the invalidation nor its own pings).
 *
 * @author pagecache
 */
@WithRedisServer
class NearCachePausedInstanceTests {

	private static final Duration HEARTBEAT = Duration.ofMillis(50);

	private static final Duration REGISTRATION = Duration.ofMillis(400);

	private static final Duration MAX_RENDER_TIME = Duration.ofSeconds(30);

	private static final Duration TTL = Duration.ofMinutes(10);

	static RedisServerProcess redis;

	@ParameterizedTest(name = "requests frozen too: {0}")
	@ValueSource(booleans = { true, false })
	void instanceThatHeardNothingForLongerThanItsRegistrationNeverServesTheOldPage(boolean requestsToo)
			throws Exception {
		String namespace = "paused-" + requestsToo;
		LettuceConnectionFactory first = RedisConnections.connectionFactory(redis, Duration.ofSeconds(5));
		try (FreezableProxy proxy = new FreezableProxy(redis.getPort())) {
			LettuceConnectionFactory second = RedisConnections.connectionFactory("127.0.0.1", proxy.getPort(),
					Duration.ofMillis(100), null, null);
			RedisPageStore writer = new RedisPageStore(first, namespace, MAX_RENDER_TIME, Clock.systemUTC());
			RedisNearCache writerNear = started(first, namespace, writer);
			RedisPageStore reader = new RedisPageStore(second, namespace, MAX_RENDER_TIME, Clock.systemUTC());
			RedisNearCache readerNear = started(second, namespace, reader);
			try {
				store(writer, "one");
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					PageLookup lookup = reader.lookup("/posts/1");
					return readerNear.getHits() > 0 && "one".equals(body(lookup));
				});
				proxy.freeze(requestsToo);
				sleep(REGISTRATION.multipliedBy(2));
				Map<String, Integer> seen = new TreeMap<>();
				seen.merge(bodyOrFailure(reader), 1, Integer::sum);
				long start = System.nanoTime();
				store(writer, "two");
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				seen.merge(bodyOrFailure(reader), 1, Integer::sum);
				proxy.thaw();
				long hitsBefore = readerNear.getHits();
				long until = System.nanoTime() + REGISTRATION.multipliedBy(3).toNanos();
				while (System.nanoTime() - until < 0) {
					seen.merge(bodyOrFailure(reader), 1, Integer::sum);
				}
				assertThat(seen).as("what the paused instance answered").doesNotContainKey("one").containsKey("two");
				assertThat(waited).as("the writer's wait").isLessThan(REGISTRATION.plusMillis(500));
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					PageLookup lookup = reader.lookup("/posts/1");
					return readerNear.getHits() > hitsBefore && "two".equals(body(lookup));
				});
				System.out.printf(
						"NearCachePausedInstanceTests: requests frozen too %s: writer waited %d ms, the paused instance "
								+ "answered (from the freeze on) %s%n",
						requestsToo, waited.toMillis(), seen);
			}
			finally {
				readerNear.stop();
				writerNear.stop();
				second.destroy();
			}
		}
		finally {
			first.destroy();
		}
	}

	private static RedisNearCache started(LettuceConnectionFactory factory, String namespace, RedisPageStore store) {
		store.lookup("/");
		RedisNearCache near = new RedisNearCache(factory, namespace, 1024 * 1024, Duration.ofMinutes(1), HEARTBEAT,
				REGISTRATION);
		near.start();
		await().atMost(Duration.ofSeconds(10)).until(near::isTrusted);
		store.setNearCache(near);
		return near;
	}

	/** Invalidate the page and store its new content, as a write and the next render. */
	private static void store(RedisPageStore writer, String body) {
		writer.invalidate(List.of("Post#1"));
		PageLookup miss = writer.lookup("/posts/1");
		PageEntry entry = new PageEntry(200, List.of(), body.getBytes(StandardCharsets.UTF_8), body.length(),
				"\"" + body + "\"", 1_700_000_000_000L, Set.of("Post#1"));
		assertThat(writer.put("/posts/1", entry, TTL, miss)).isTrue();
	}

	private static String bodyOrFailure(RedisPageStore reader) {
		try {
			String body = body(reader.lookup("/posts/1"));
			return (body != null) ? body : "miss";
		}
		catch (PageStoreUnavailableException ex) {
			return "failed";
		}
	}

	private static @Nullable String body(PageLookup lookup) {
		PageEntry entry = lookup.entry();
		return (entry != null) ? new String(entry.gzippedBody(), StandardCharsets.UTF_8) : null;
	}

	private static void sleep(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

}
