package dev.pagecache.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsPageStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link StatisticsPageStore} tells about its misses and invalidations, run
 * against each store by a subclass.
 */
public abstract class MissReasonContractTests {

	protected static final Duration TTL = Duration.ofMinutes(10);

	protected static final Duration RETENTION = Duration.ofHours(1);

	protected final PageCacheStatistics statistics = new PageCacheStatistics();

	protected PageStore store;

	@BeforeEach
	void createStoreUnderTest() {
		this.store = createStore();
		statisticsStore().setStatisticsListener(this.statistics);
		statisticsStore().setMissReasonRetention(RETENTION);
	}

	/**
	 * Create an empty store.
	 * @return the store, a {@link StatisticsPageStore}
	 */
	protected abstract PageStore createStore();

	/**
	 * Store a page with a short life and return once it has expired.
	 */
	protected abstract void putAndLetExpire(String key, String... tags);

	/**
	 * Make the store drop a page to make room, without an invalidation.
	 */
	protected abstract void evict(String key);

	/**
	 * Return once the store no longer remembers why a page went, with the given retention
	 * set before the page went.
	 */
	protected abstract void awaitForgotten(String key, Duration retention);

	@Test
	void pageNeverStoredMissesAsAFirstRender() {
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.FIRST);
	}

	@Test
	void hitHasNoMissReason() {
		put("/posts/1", "Post#1");
		PageLookup hit = this.store.lookup("/posts/1");
		assertThat(hit.isHit()).isTrue();
		assertThat(hit.missReason()).isNull();
	}

	@Test
	void invalidatedPageMissesAsInvalidated() {
		put("/posts/1", "Post#1");
		put("/posts/2", "Post#2");
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.INVALIDATED);
		assertThat(this.store.lookup("/posts/2").isHit()).isTrue();
	}

	@Test
	void clearedPageMissesAsInvalidated() {
		put("/posts/1", "Post#1");
		this.store.clear();
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.INVALIDATED);
	}

	@Test
	void expiredPageMissesAsExpired() {
		putAndLetExpire("/posts/1", "Post#1");
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.EXPIRED);
	}

	@Test
	void pageInvalidatedAfterItExpiredMissesAsExpired() {
		putAndLetExpire("/posts/1", "Post#1");
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.EXPIRED);
	}

	@Test
	void evictedPageMissesAsEvicted() {
		put("/posts/1", "Post#1");
		evict("/posts/1");
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.EVICTED);
	}

	@Test
	void storingAPageAgainForgetsWhyItWentBefore() {
		put("/posts/1", "Post#1");
		this.store.invalidate(List.of("Post#1"));
		put("/posts/1", "Post#1");
		evict("/posts/1");
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.EVICTED);
	}

	@Test
	void whyAPageWentIsForgottenAfterTheRetention() {
		Duration retention = Duration.ofMillis(300);
		statisticsStore().setMissReasonRetention(retention);
		put("/posts/1", "Post#1");
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.INVALIDATED);
		awaitForgotten("/posts/1", retention);
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.FIRST);
	}

	@Test
	void withoutRetentionEveryMissIsAFirstRender() {
		statisticsStore().setMissReasonRetention(Duration.ZERO);
		put("/posts/1", "Post#1");
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.FIRST);
	}

	@Test
	void invalidationsAndClearsAreReportedByEntityType() {
		this.store.invalidate(List.of("Post#1", "Post:*", "Comment#3", "route:/posts/{id}"));
		this.store.invalidate(List.of("Comment"));
		this.store.clear();
		assertThat(this.statistics.snapshot().invalidations()).isEqualTo(3);
		assertThat(this.statistics.snapshot().invalidationsByType()).containsExactly(Map.entry("*", 1L),
				Map.entry("Comment", 2L), Map.entry("Post", 1L), Map.entry("route", 1L));
	}

	@Test
	void countTaggedCountsThePagesThatStillLive() {
		put("/posts/1", "Post#1", "route:/posts/{id}");
		put("/posts/2", "Post#2", "route:/posts/{id}");
		put("/posts/3", "Post#3", "route:/posts/{id}");
		this.store.invalidate(List.of("Post#2"));
		assertThat(this.store.countTagged("route:/posts/{id}")).isEqualTo(PageStore.PageCount.exact(2));
		assertThat(this.store.countTagged("route:/other")).isEqualTo(PageStore.PageCount.exact(0));
	}

	protected void put(String key, String... tags) {
		put(key, TTL, tags);
	}

	protected void put(String key, Duration ttl, String... tags) {
		PageLookup lookup = this.store.lookup(key);
		if (lookup.epoch() == null) {
			lookup = this.store.lookup(key);
		}
		assertThat(this.store.put(key, entry(tags), ttl, lookup)).isTrue();
	}

	protected StatisticsPageStore statisticsStore() {
		return (StatisticsPageStore) this.store;
	}

	private static PageEntry entry(String... tags) {
		return new PageEntry(200, List.of(), new byte[] { 1, 2, 3 }, 3, "\"etag\"", 0, Set.of(tags));
	}

}
