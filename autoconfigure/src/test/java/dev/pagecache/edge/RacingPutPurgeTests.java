package dev.pagecache.edge;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The in-flight race at the edge, over a real Redis and over the in-memory store: a
 * render that began before a commit, whose guarded put lands after the purge's read of
 * the store's index and before the store's invalidation, is stored (its tags have not
 * moved yet) and shared with the edge, then dropped by the invalidation. It must be
 * purged, at once and again after the repurge delay, at edges that purge by URL and, as
 * it carries no tag header, at edges that purge by tag.
 *
 * @author pagecache
 */
@WithRedisServer
class RacingPutPurgeTests {

	private static final String RACING = "GET http://localhost:80/posts/1";

	private static final String EARLIER = "GET http://localhost:80/posts/2";

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private final RecordingPurger byUrl = new RecordingPurger("urls", false);

	private final RecordingPurger byTag = new RecordingPurger("tags", true);

	private EdgePurges purges;

	@BeforeAll
	static void connect() {
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.getPort()),
				LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
		connectionFactory.afterPropertiesSet();
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@AfterEach
	void stop() {
		if (this.purges != null) {
			this.purges.destroy();
		}
	}

	@Test
	void pageStoredInRedisBetweenTheIndexReadAndTheInvalidationIsPurged() {
		assertRacingPageIsPurged(RedisTestStores.store(connectionFactory, "edge-race-" + UUID.randomUUID()));
	}

	@Test
	void pageStoredInMemoryBetweenTheIndexReadAndTheInvalidationIsPurged() {
		assertRacingPageIsPurged(new InMemoryPageStore(100, 1 << 20, Duration.ofSeconds(30), Clock.systemUTC()));
	}

	private void assertRacingPageIsPurged(PageStore store) {
		put(store, EARLIER, lookup(store, EARLIER), "Post#1", EdgePurger.Purge.ALL_PAGES_TAG);
		PageLookup renderBegins = lookup(store, RACING);
		RacingStore racing = new RacingStore(store, "Post#1", () -> put(store, RACING, renderBegins, "Post#1",
				EdgePurger.Purge.ALL_PAGES_TAG, EdgePurger.Purge.PURGED_BY_URL_TAG));
		this.purges = new EdgePurges(List.of(this.byUrl, this.byTag), racing, new InMemoryEdgePurgeQueue(),
				new EdgePurges.Settings(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(100)));
		new PurgingPageCache(new StoreCache(racing), this.purges).invalidateTags("Post#1");
		assertThat(racing.raced).as("the put landed after the index was read").isTrue();
		assertThat(store.lookup(RACING).isHit()).as("the invalidation dropped the racing page").isFalse();
		EdgePurger.Purge urls = new EdgePurger.Purge(Set.of(), Set.of("/posts/1", "/posts/2"));
		EdgePurger.Purge tags = new EdgePurger.Purge(Set.of(EdgePurger.Purge.token("Post#1")), Set.of("/posts/1"));
		assertThat(this.byUrl.purges).containsExactly(urls);
		assertThat(this.byTag.purges).containsExactly(tags);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(this.byUrl.purges).as("the repurge").containsExactly(urls, urls);
			assertThat(this.byTag.purges).as("the repurge").containsExactly(tags, tags);
		});
	}

	private static PageLookup lookup(PageStore store, String key) {
		PageLookup lookup = store.lookup(key);
		// a store that has just begun its epoch accepts no put from that first lookup
		return (lookup.epoch() != null) ? lookup : store.lookup(key);
	}

	private static void put(PageStore store, String key, PageLookup lookup, String... tags) {
		PageEntry entry = new PageEntry(200, List.of(), new byte[0], 0, "\"e\"", System.currentTimeMillis(),
				Set.of(tags));
		assertThat(store.put(key, entry, Duration.ofMinutes(1), lookup)).as("put of %s", key).isTrue();
	}

	/**
	 * A store whose first read of a tag's pages lets a racing put land right after it,
	 * before the invalidation that follows.
	 */
	private static final class RacingStore extends ForwardingPageStore {

		private final String tag;

		private final Runnable race;

		volatile boolean raced;

		RacingStore(PageStore store, String tag, Runnable race) {
			super(store);
			this.tag = tag;
			this.race = race;
		}

		@Override
		public List<String> keysTagged(String tag) {
			List<String> keys = this.store.keysTagged(tag);
			if (tag.equals(this.tag) && !this.raced) {
				this.raced = true;
				this.race.run();
			}
			return keys;
		}

	}

}
