package dev.pagecache.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PageCacheStatistics}, {@link StatisticsSnapshot} and
 * {@link FleetStatistics}.
 */
class PageCacheStatisticsTests {

	private final PageCacheStatistics statistics = new PageCacheStatistics();

	@Test
	void invalidationsAreCountedByTheEntityTypeOfEachTagOncePerInvalidation() {
		this.statistics
			.invalidated(List.of("Post#1", "Post#2", "Post:*", "Post", "Comment#1", "path:/a", "route:/b", "sidebar"));
		assertThat(this.statistics.snapshot().invalidationsByType()).containsExactly(Map.entry("Comment", 1L),
				Map.entry("Post", 1L), Map.entry("path", 1L), Map.entry("route", 1L), Map.entry("sidebar", 1L));
		assertThat(this.statistics.snapshot().invalidations()).isEqualTo(1);
	}

	@Test
	void entityTypesAreBoundedWhateverTagsAreInvalidated() {
		for (int i = 0; i < 1000; i++) {
			this.statistics.invalidated(List.of("Random" + i + "#1"));
		}
		Map<String, Long> byType = this.statistics.snapshot().invalidationsByType();
		assertThat(byType).hasSize(101).containsEntry("(other)", 900L);
		assertThat(byType.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
	}

	@Test
	void snapshotsSurviveTheirNamedForm() {
		this.statistics.hit("/a/{id}");
		this.statistics.miss("/a/{id}", MissReason.EVICTED, 7);
		this.statistics.miss("/b|c", MissReason.EXPIRED, 3);
		this.statistics.bypassed("/b|c");
		this.statistics.stored("/a/{id}");
		this.statistics.invalidated(List.of("Post#1"));
		this.statistics.cleared();
		StatisticsSnapshot snapshot = this.statistics.snapshot();
		assertThat(StatisticsSnapshot.fromMap(snapshot.toMap())).isEqualTo(snapshot);
		assertThat(snapshot.toMap()).containsEntry("misses.expired|/b|c", 1L).doesNotContainKey("hits|/b|c");
	}

	@Test
	void rendersNotStoredAreCountedByReasonAndSurviveTheNamedFormOfTheFleet() {
		this.statistics.notStored("/a/{id}", NotStoredReason.COOKIE);
		this.statistics.notStored("/a/{id}", NotStoredReason.COOKIE);
		this.statistics.notStored("/a/{id}", NotStoredReason.UNKEYED_INPUT);
		this.statistics.notStored("/b", NotStoredReason.REFUSED);
		StatisticsSnapshot snapshot = this.statistics.snapshot();
		PageStatistics a = snapshot.page("/a/{id}");
		assertThat(a.notStoredByReason()).containsExactly(Map.entry(NotStoredReason.COOKIE, 2L),
				Map.entry(NotStoredReason.UNKEYED_INPUT, 1L));
		assertThat(a.notStored()).isEqualTo(3);
		assertThat(snapshot.totals().notStored(NotStoredReason.REFUSED)).isOne();
		assertThat(snapshot.toMap()).containsEntry("notStored.cookie|/a/{id}", 2L)
			.containsEntry("notStored.unkeyedInput|/a/{id}", 1L);
		assertThat(StatisticsSnapshot.fromMap(snapshot.toMap())).isEqualTo(snapshot);
	}

	@Test
	void fleetAddsOnlyWhatWasCountedSinceTheLastAdditionAndRetriesAfterAFailure() {
		MapFleetStore fleetStore = new MapFleetStore();
		FleetStatistics fleet = new FleetStatistics(this.statistics, fleetStore, Duration.ofSeconds(5));
		this.statistics.hit("/a");
		this.statistics.hit("/a");
		fleet.flush();
		this.statistics.hit("/a");
		fleetStore.failNext = true;
		assertThatExceptionOfType(PageStoreUnavailableException.class).isThrownBy(fleet::flush);
		this.statistics.miss("/a", MissReason.FIRST, 5);
		fleet.flush();
		fleet.flush();
		assertThat(fleetStore.additions).containsExactly(Map.of("hits|/a", 2L),
				Map.of("hits|/a", 1L, "misses.first|/a", 1L, "renders|/a", 1L, "renderNanos|/a", 5L));
		assertThat(fleet.snapshot().page("/a").hits()).isEqualTo(3);
	}

	@Test
	void withoutASharedStoreThereIsNoFleet() {
		FleetStatistics fleet = new FleetStatistics(this.statistics, null, Duration.ofSeconds(5));
		this.statistics.hit("/a");
		fleet.flush();
		assertThat(fleet.isShared()).isFalse();
		assertThat(fleet.snapshot()).isNull();
	}

	static final class MapFleetStore implements FleetStatisticsStore {

		final Map<String, Long> values = new HashMap<>();

		final List<Map<String, Long>> additions = new ArrayList<>();

		boolean failNext;

		@Override
		public void add(Map<String, Long> deltas) {
			if (this.failNext) {
				this.failNext = false;
				throw new PageStoreUnavailableException("down");
			}
			if (!deltas.isEmpty()) {
				this.additions.add(Map.copyOf(deltas));
			}
			deltas.forEach((name, delta) -> this.values.merge(name, delta, Long::sum));
		}

		@Override
		public Map<String, Long> read() {
			return Map.copyOf(this.values);
		}

	}

}
