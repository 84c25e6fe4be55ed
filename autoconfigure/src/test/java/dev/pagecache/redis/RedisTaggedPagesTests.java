package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore.PageCount;
import dev.pagecache.test.RedisCommandCalls;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code tagged.lua} and {@code count-tagged.lua} cost a real Redis when a tag has
 * thousands of pages: each run checks a bounded number of them, and a count of many pages
 * is an estimate that still sees the pages deleted through another tag.
 */
@WithRedisServer
class RedisTaggedPagesTests {

	private static final String ROUTE = "route:/posts/{id}";

	static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

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
		this.store = new RedisPageStore(connectionFactory, "test-" + UUID.randomUUID(), Duration.ofSeconds(10),
				Clock.systemUTC());
		this.store.lookup("/"); // creates the namespace's epoch
	}

	@Test
	void aCountOfManyPagesChecksASampleOfEveryAgeAndEstimatesThePagesThatStillExist() {
		int pages = 4_000;
		putPages(pages);
		List<String> oldest = new ArrayList<>();
		for (int i = 0; i < pages / 2; i++) {
			oldest.add("Post#" + i);
		}
		// dropped through their own tags, the pages stay members of the route's index
		assertThat(this.store.invalidate(oldest)).isEqualTo(pages / 2);
		this.store.countTagged("route:/warm-up"); // loads the script

		RedisCommandCalls before = RedisCommandCalls.of(redis);
		PageCount count = this.store.countTagged(ROUTE);
		RedisCommandCalls calls = RedisCommandCalls.of(redis).since(before);

		assertThat(count.estimated()).isTrue();
		assertThat(count.entries()).isBetween(pages / 2 - 200L, pages / 2 + 200L);
		assertThat(calls.of("exists")).isEqualTo(StoreCommands.COUNT_SAMPLE);
		assertThat(calls.total()).isLessThanOrEqualTo(2L * StoreCommands.COUNT_SAMPLE + 8);
	}

	@Test
	void aCountOfFewPagesChecksEachOfThem() {
		putPages(StoreCommands.COUNT_SAMPLE);
		this.store.invalidate(List.of("Post#3", "Post#4"));
		assertThat(this.store.countTagged(ROUTE)).isEqualTo(PageCount.exact(StoreCommands.COUNT_SAMPLE - 2));
	}

	@Test
	void aLimitedListChecksAtMostTwiceTheLimitAndListsOnlyPagesThatExist() {
		putPages(3_000);
		List<String> everyOther = new ArrayList<>();
		for (int i = 0; i < 3_000; i += 2) {
			everyOther.add("Post#" + i);
		}
		this.store.invalidate(everyOther);
		this.store.keysTagged("route:/warm-up", 10); // loads the script

		RedisCommandCalls before = RedisCommandCalls.of(redis);
		List<String> keys = this.store.keysTagged(ROUTE, 10);
		RedisCommandCalls calls = RedisCommandCalls.of(redis).since(before);

		assertThat(keys).hasSizeBetween(1, 10).doesNotHaveDuplicates().allSatisfy((key) -> {
			assertThat(Integer.parseInt(key.substring("/posts/".length())) % 2).isOne();
			assertThat(this.store.lookup(key).isHit()).isTrue();
		});
		assertThat(calls.of("exists")).isLessThanOrEqualTo(20);
	}

	@Test
	void aFullListIsReadInSlicesOfBoundedWorkAndHasEveryPage() {
		int pages = 2 * StoreCommands.TAGGED_SLICE + 500;
		putPages(pages);
		this.store.keysTagged("route:/warm-up"); // loads the script

		RedisCommandCalls before = RedisCommandCalls.of(redis);
		List<String> keys = this.store.keysTagged(ROUTE);
		RedisCommandCalls calls = RedisCommandCalls.of(redis).since(before);

		assertThat(keys).hasSize(pages).doesNotHaveDuplicates();
		assertThat(calls.of("evalsha") + calls.of("eval")).isEqualTo(3);
		assertThat(calls.of("exists")).isEqualTo(pages);
	}

	private void putPages(int count) {
		PageLookup lookup = this.store.lookup("/posts/0");
		for (int i = 0; i < count; i++) {
			PageEntry entry = new PageEntry(200, List.of(), new byte[] { 1 }, 1, "\"e\"", 0,
					Set.of(ROUTE, "Post#" + i));
			assertThat(this.store.put("/posts/" + i, entry, Duration.ofMinutes(10), lookup)).isTrue();
		}
	}

}
