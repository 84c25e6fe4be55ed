package dev.pagecache.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.pagecache.actuate.StatisticsHistory.HistoryPoint;
import dev.pagecache.metrics.FleetStatistics;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.test.MutableClock;

import org.springframework.boot.actuate.endpoint.SecurityContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StatisticsHistory} and the dashboard's chart of it.
 */
class StatisticsHistoryTests {

	private static final String POSTS = "/posts/{id}";

	private static final Duration INTERVAL = Duration.ofSeconds(15);

	private final PageCacheStatistics statistics = new PageCacheStatistics();

	private final MutableClock clock = new MutableClock();

	@Test
	void eachPointIsWhatHappenedBetweenTwoSamples() {
		StatisticsHistory history = new StatisticsHistory(new StatisticsSource(this.statistics, null), INTERVAL,
				this.clock);
		history.sample();
		assertThat(history.instance()).as("one sample is no interval yet").isEmpty();
		requests(3, 1, 2);
		this.clock.advance(INTERVAL);
		history.sample();
		requests(0, 4, 0);
		this.clock.advance(INTERVAL);
		history.sample();
		List<HistoryPoint> points = history.instance();
		assertThat(points).extracting(HistoryPoint::hits, HistoryPoint::misses, HistoryPoint::bypasses)
			.containsExactly(org.assertj.core.api.Assertions.tuple(3L, 1L, 2L),
					org.assertj.core.api.Assertions.tuple(0L, 4L, 0L));
		assertThat(points.get(0).requests()).isEqualTo(6);
		assertThat(points.get(0).hitRatio()).isEqualTo(0.75);
		assertThat(points.get(1).hitRatio()).isZero();
		assertThat(points.get(1).time() - points.get(0).time()).isEqualTo(INTERVAL.toMillis());
		assertThat(history.fleet()).as("no shared store, no fleet").isEmpty();
	}

	@Test
	void theHistoryKeepsTheLastHourAndNoMore() {
		StatisticsHistory history = new StatisticsHistory(new StatisticsSource(this.statistics, null), INTERVAL,
				this.clock);
		for (int i = 0; i < 1000; i++) {
			requests(1, 0, 0);
			history.sample();
			this.clock.advance(INTERVAL);
		}
		assertThat(history.instance()).hasSize(240);
		assertThat(history.instance()).allSatisfy((point) -> assertThat(point.hits()).isEqualTo(1));
		String chart = HistoryChart.render(history.instance(), INTERVAL, this.clock.millis() - INTERVAL.toMillis())
			.markup();
		assertThat(chart).contains("data-span-minutes=\"60\"").contains(">-60 min</text>").contains(">-45 min</text>");
		assertThat(count(chart, "<rect class=\"pc-chart-hits\"")).as("a bar per interval that fits the hour")
			.isBetween(238, 240);
	}

	@Test
	void theFleetIsSampledWithASharedStore() {
		FleetStatistics fleet = new FleetStatistics(this.statistics, new MapFleetStore(), Duration.ofHours(1));
		StatisticsHistory history = new StatisticsHistory(new StatisticsSource(this.statistics, fleet), INTERVAL,
				this.clock);
		history.sample();
		requests(5, 5, 0);
		this.clock.advance(INTERVAL);
		history.sample();
		assertThat(history.fleet()).singleElement().satisfies((point) -> {
			assertThat(point.hits()).isEqualTo(5);
			assertThat(point.misses()).isEqualTo(5);
		});
	}

	@Test
	void theDashboardDrawsTheLastHourAsBarsOfRequestsAndALineOfTheHitRatio() {
		StatisticsHistory history = new StatisticsHistory(new StatisticsSource(this.statistics, null), INTERVAL,
				this.clock);
		history.sample();
		for (int i = 0; i < 3; i++) {
			requests(4, 1, 0);
			this.clock.advance(INTERVAL);
			history.sample();
		}
		String html = new PageCacheDashboard(history, false, Set.of(), this.clock)
			.render(endpoint().statistics(SecurityContext.NONE), SecurityContext.NONE);
		assertThat(html).contains("<section id=\"pc-history\"")
			.contains("<svg class=\"pc-chart\" data-points=\"3\" data-requests=\"15\" data-span-minutes=\"5\"")
			.as("a young history spans its age, rounded up to 5 minutes")
			.contains(">-5 min</text>")
			.doesNotContain(">-60 min</text>")
			.contains("requests per 15 s");
		assertThat(count(html, "<rect class=\"pc-chart-hits\"")).isEqualTo(3);
		assertThat(count(html, "<rect class=\"pc-chart-misses\"")).isEqualTo(3);
		Matcher line = Pattern.compile("<polyline class=\"pc-chart-ratio\" fill=\"none\" points=\"([^\"]*)\"/>")
			.matcher(html);
		assertThat(line.find()).isTrue();
		assertThat(line.group(1).split(" ")).hasSize(3);
		String fresh = new PageCacheDashboard(
				new StatisticsHistory(new StatisticsSource(this.statistics, null), INTERVAL, this.clock), false,
				Set.of(), this.clock)
			.render(endpoint().statistics(SecurityContext.NONE), SecurityContext.NONE);
		assertThat(fresh).contains("data-points=\"0\"").contains("The first figures arrive 15.00 s after start-up.");
	}

	private PageCacheEndpoint endpoint() {
		InMemoryPageStore store = new InMemoryPageStore(10, 1 << 20, Duration.ofSeconds(10), Clock.systemUTC());
		return new PageCacheEndpoint(this.statistics, null, store, new NoPageCache(), false);
	}

	private void requests(int hits, int misses, int bypasses) {
		for (int i = 0; i < hits; i++) {
			this.statistics.hit(POSTS);
		}
		for (int i = 0; i < misses; i++) {
			this.statistics.miss(POSTS, MissReason.FIRST, 1_000_000);
		}
		for (int i = 0; i < bypasses; i++) {
			this.statistics.bypassed(POSTS);
		}
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	/**
	 * The fleet's statistics kept in a map, as a shared store keeps them.
	 */
	private static final class MapFleetStore implements FleetStatisticsStore {

		private final Map<String, Long> values = new ConcurrentHashMap<>();

		@Override
		public void add(Map<String, Long> deltas) {
			deltas.forEach((name, delta) -> this.values.merge(name, delta, Long::sum));
		}

		@Override
		public Map<String, Long> read() {
			return Map.copyOf(this.values);
		}

	}

	/**
	 * A page cache that is never asked for anything here.
	 */
	private static final class NoPageCache implements dev.pagecache.PageCache {

		@Override
		public void invalidateTags(java.util.Collection<String> tags) {
		}

		@Override
		public void clear() {
		}

		@Override
		public void dependOn(String... tags) {
		}

		@Override
		public List<String> pagesTagged(String tag) {
			return List.of();
		}

	}

}
