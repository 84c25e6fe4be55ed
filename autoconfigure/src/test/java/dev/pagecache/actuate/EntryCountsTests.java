package dev.pagecache.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStore.PageCount;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link EntryCounts}: what a read of the endpoint costs the store.
 */
class EntryCountsTests {

	private static final Duration MIN_AGE = Duration.ofSeconds(1);

	private static final Duration MAX_AGE = Duration.ofSeconds(10);

	private final CountingStore store = new CountingStore();

	private final MutableClock clock = new MutableClock();

	private final EntryCounts counts = new EntryCounts(this.store, this.clock, MIN_AGE, MAX_AGE, 3);

	@Test
	void readsThatFollowWithoutChangeCountNothing() {
		this.store.entries.put("route:/a", 2L);
		this.store.entries.put("route:/b", 5L);
		assertThat(this.counts.read(Map.of("/a", 0L, "/b", 0L))).containsOnly(entry("/a", exact(2)),
				entry("/b", exact(5)));
		this.clock.advance(MAX_AGE.minusMillis(1));
		for (int i = 0; i < 100; i++) {
			assertThat(this.counts.read(Map.of("/a", 0L, "/b", 0L))).containsOnly(entry("/a", exact(2)),
					entry("/b", exact(5)));
		}
		assertThat(this.store.counted).containsExactlyInAnyOrder("route:/a", "route:/b");
	}

	@Test
	void aChangedStampRecountsOnlyItsRoute() {
		this.store.entries.put("route:/a", 2L);
		this.store.entries.put("route:/b", 5L);
		this.counts.read(Map.of("/a", 0L, "/b", 0L));
		this.store.counted.clear();
		this.store.entries.put("route:/a", 3L);
		this.store.entries.put("route:/b", 6L);
		this.clock.advance(MIN_AGE);
		assertThat(this.counts.read(Map.of("/a", 1L, "/b", 0L))).containsOnly(entry("/a", exact(3)),
				entry("/b", exact(5)));
		assertThat(this.store.counted).containsExactly("route:/a");
	}

	@Test
	void aRouteIsCountedAtMostOncePerMinAgeHoweverOftenItsStampMoves() {
		this.store.entries.put("route:/a", 2L);
		this.counts.read(Map.of("/a", 0L));
		this.store.entries.put("route:/a", 3L);
		for (long stamp = 1; stamp <= 100; stamp++) {
			this.clock.advance(MIN_AGE.dividedBy(200));
			assertThat(this.counts.read(Map.of("/a", stamp))).containsOnly(entry("/a", exact(2)));
		}
		assertThat(this.store.counted).containsExactly("route:/a");
		this.clock.advance(MIN_AGE.dividedBy(2));
		assertThat(this.counts.read(Map.of("/a", 100L))).containsOnly(entry("/a", exact(3)));
		assertThat(this.store.counted).containsExactly("route:/a", "route:/a");
	}

	@Test
	void anEstimateIsKeptAsAnEstimate() {
		this.store.entries.put("route:/a", 5_000L);
		this.store.estimated = true;
		assertThat(this.counts.read(Map.of("/a", 0L))).containsOnly(entry("/a", PageCount.estimated(5_000)));
	}

	@Test
	void countsOlderThanTheMaxAgeAreCountedAgain() {
		this.store.entries.put("route:/a", 2L);
		this.counts.read(Map.of("/a", 0L));
		this.store.entries.put("route:/a", 0L);
		this.clock.advance(MAX_AGE);
		assertThat(this.counts.read(Map.of("/a", 0L))).containsOnly(entry("/a", exact(0)));
		assertThat(this.store.counted).containsExactly("route:/a", "route:/a");
	}

	@Test
	void aReadCountsAtMostItsShareOfRoutesThoseNeverCountedThenTheOldestFirst() {
		Map<String, Long> stamps = new LinkedHashMap<>();
		for (String route : List.of("/1", "/2", "/3", "/4", "/5")) {
			stamps.put(route, 0L);
			this.store.entries.put("route:" + route, 1L);
		}
		Map<String, PageCount> first = this.counts.read(stamps);
		List<String> countedFirst = List.copyOf(this.store.counted);
		assertThat(countedFirst).hasSize(3);
		List<String> leftOut = stamps.keySet().stream().filter((route) -> first.get(route) == null).toList();
		assertThat(leftOut).hasSize(2);
		this.clock.advance(Duration.ofSeconds(1));
		this.store.counted.clear();
		assertThat(this.counts.read(stamps).values()).containsOnly(exact(1));
		assertThat(this.store.counted).containsExactlyInAnyOrderElementsOf(tags(leftOut));
		this.clock.advance(MAX_AGE);
		this.store.counted.clear();
		this.counts.read(stamps);
		assertThat(this.store.counted).containsExactlyInAnyOrderElementsOf(countedFirst);
	}

	private static PageCount exact(long entries) {
		return PageCount.exact(entries);
	}

	private static List<String> tags(List<String> routes) {
		return routes.stream().map((route) -> "route:" + route).toList();
	}

	@Test
	void aFailedCountLeavesItAndTheRoutesAfterItUnknownWithoutCountingThem() {
		this.store.entries.put("route:/a", 1L);
		this.store.entries.put("route:/b", 1L);
		this.counts.read(Map.of("/a", 0L, "/b", 0L));
		this.store.down = true;
		this.store.counted.clear();
		this.clock.advance(MIN_AGE);
		assertThat(this.counts.read(Map.of("/a", 1L, "/b", 1L))).containsOnly(entry("/a", null), entry("/b", null));
		assertThat(this.store.counted).hasSize(1);
		this.store.down = false;
		assertThat(this.counts.read(Map.of("/a", 1L, "/b", 1L))).containsOnly(entry("/a", exact(1)),
				entry("/b", exact(1)));
	}

	/**
	 * A store that only counts, and remembers what it was asked to count.
	 */
	static final class CountingStore implements PageStore {

		final Map<String, Long> entries = new HashMap<>();

		final List<String> counted = new ArrayList<>();

		boolean down;

		boolean estimated;

		@Override
		public PageCount countTagged(String tag) {
			this.counted.add(tag);
			if (this.down) {
				throw new PageStoreUnavailableException("down");
			}
			return new PageCount(this.entries.getOrDefault(tag, 0L), this.estimated);
		}

		@Override
		public PageLookup lookup(String key) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
			throw new UnsupportedOperationException();
		}

		@Override
		public long invalidate(Collection<String> tags) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void clear() {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<String> keysTagged(String tag) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String getName() {
			return "counting";
		}

	}

}
