package dev.pagecache.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageStore.HotList;
import dev.pagecache.store.PageStore.HotPage;
import dev.pagecache.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link PageStore} shares, run against each store by a subclass.
 *
 * @author pagecache
 */
public abstract class PageStoreContractTests {

	/** The longest render time the stores under test are created with. */
	protected static final Duration MAX_RENDER_TIME = Duration.ofSeconds(10);

	protected static final Duration TTL = Duration.ofMinutes(10);

	protected final MutableClock clock = new MutableClock();

	protected PageStore store;

	@BeforeEach
	void createStoreUnderTest() {
		this.store = createStore(this.clock);
	}

	/**
	 * Create an empty store.
	 * @param clock the clock the store must use
	 * @return the store
	 */
	protected abstract PageStore createStore(Clock clock);

	@Test
	void lookupMissesUntilAnEntryIsPutThenHits() {
		PageLookup miss = this.store.lookup("/posts/1");
		assertThat(miss.isHit()).isFalse();
		assertThat(this.store.put("/posts/1", entry("<p>one</p>", "Post#1"), TTL, miss)).isTrue();
		PageLookup hit = this.store.lookup("/posts/1");
		assertThat(hit.isHit()).isTrue();
		assertThat(hit.entry().status()).isEqualTo(200);
		assertThat(hit.entry().gzippedBody()).isEqualTo("<p>one</p>".getBytes(StandardCharsets.UTF_8));
		assertThat(hit.entry().headers()).containsExactly(new PageEntry.Header("Content-Type", "text/html"));
		assertThat(hit.entry().tags()).containsExactly("Post#1");
		assertThat(this.store.lookup("/posts/2").isHit()).isFalse();
	}

	@Test
	void putReplacesAnEarlierEntryForTheSameKey() {
		putFresh("/posts/1", entry("old", "Post#1"));
		putFresh("/posts/1", entry("new", "Post#1"));
		assertThat(body(this.store.lookup("/posts/1"))).isEqualTo("new");
		assertThat(this.store.keysTagged("Post#1")).containsExactly("/posts/1");
	}

	@Test
	void putIsRefusedWhenATagWasInvalidatedAfterTheLookup() {
		PageLookup lookup = this.store.lookup("/posts/1");
		this.store.invalidate(List.of("Post#1"));
		assertThat(this.store.put("/posts/1", entry("stale", "Post:*", "Post#1"), TTL, lookup)).isFalse();
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.keysTagged("Post#1")).isEmpty();
	}

	@Test
	void putIsAcceptedWhenTheTagWasInvalidatedBeforeTheLookup() {
		this.store.invalidate(List.of("Post#1"));
		PageLookup lookup = this.store.lookup("/posts/1");
		assertThat(this.store.put("/posts/1", entry("fresh", "Post#1"), TTL, lookup)).isTrue();
		assertThat(body(this.store.lookup("/posts/1"))).isEqualTo("fresh");
	}

	@Test
	void putIsAcceptedWhenOnlyOtherTagsWereInvalidatedAfterTheLookup() {
		PageLookup lookup = this.store.lookup("/posts/1");
		this.store.invalidate(List.of("Post#2", "Comment#7"));
		assertThat(this.store.put("/posts/1", entry("fresh", "Post#1"), TTL, lookup)).isTrue();
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
	}

	@Test
	void invalidationOfATagNoPageCarriesStillRefusesRacingPuts() {
		PageLookup lookup = this.store.lookup("/posts/1");
		assertThat(this.store.invalidate(List.of("Post#1"))).isZero();
		assertThat(this.store.put("/posts/1", entry("stale", "Post#1"), TTL, lookup)).isFalse();
	}

	@Test
	void invalidateDropsExactlyTheEntriesCarryingTheTagAndCountsThem() {
		putFresh("/posts/1", entry("one", "Post#1", "Post:*"));
		putFresh("/posts", entry("list", "Post:*"));
		putFresh("/posts/2", entry("two", "Post#2", "Post:*"));
		putFresh("/about", entry("about", "Page#about"));
		assertThat(this.store.invalidate(List.of("Post#1"))).isEqualTo(1);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.lookup("/posts").isHit()).isTrue();
		assertThat(this.store.lookup("/posts/2").isHit()).isTrue();
		assertThat(this.store.invalidate(List.of("Post:*"))).isEqualTo(2);
		assertThat(this.store.lookup("/posts").isHit()).isFalse();
		assertThat(this.store.lookup("/posts/2").isHit()).isFalse();
		assertThat(this.store.lookup("/about").isHit()).isTrue();
		assertThat(this.store.invalidate(List.of("Post:*"))).isZero();
	}

	@Test
	void anEntryWithTwoTagsIsDroppedByEitherAndCountedOnce() {
		putFresh("/posts/1", entry("one", "Post#1", "Author#9"));
		assertThat(this.store.invalidate(List.of("Author#9"))).isEqualTo(1);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.keysTagged("Post#1")).isEmpty();

		putFresh("/posts/1", entry("one", "Post#1", "Author#9"));
		assertThat(this.store.invalidate(List.of("Post#1"))).isEqualTo(1);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();

		putFresh("/posts/1", entry("one", "Post#1", "Author#9"));
		assertThat(this.store.invalidate(List.of("Post#1", "Author#9"))).isEqualTo(1);
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
	}

	@Test
	void invalidationReportsExactlyTheDroppedEntriesThatCarryEachReportedTag() {
		putFresh("/posts/1", entry("one", "Post#1", "edge"));
		putFresh("/posts/2", entry("two", "Post#1", "Post#2", "edge", "by-url"));
		putFresh("/posts/3", entry("three", "Post#2"));
		putFresh("/posts/4", entry("four", "Post#4", "edge", "by-url"));
		String longKey = "/posts/5?q=" + "x".repeat(300);
		putFresh(longKey, entry("five", "Post#2", "edge"));
		List<Map<String, List<String>>> reports = new CopyOnWriteArrayList<>();
		this.store.setDroppedPagesListener(List.of("edge", "by-url"), (tags, keys) -> reports.add(keys));
		assertThat(this.store.invalidate(List.of("Post#1", "Post#2"))).isEqualTo(4);
		assertThat(reports).hasSize(1);
		assertThat(reports.get(0)).containsOnlyKeys("edge", "by-url");
		assertThat(reports.get(0).get("edge")).containsExactlyInAnyOrder("/posts/1", "/posts/2", longKey);
		assertThat(reports.get(0).get("by-url")).containsExactly("/posts/2");
		assertThat(this.store.invalidate(List.of("Post#1"))).isZero();
		assertThat(reports).as("an invalidation that dropped nothing reports no key").hasSize(2);
		assertThat(reports.get(1)).isEqualTo(Map.of("edge", List.of(), "by-url", List.of()));
	}

	@Test
	void entryStoredAfterTheIndexWasReadIsReportedByTheInvalidationThatDropsIt() {
		List<Map<String, List<String>>> reports = new CopyOnWriteArrayList<>();
		this.store.setDroppedPagesListener(List.of("edge"), (tags, keys) -> reports.add(keys));
		putFresh("/posts/2", entry("two", "Post#1", "edge"));
		PageLookup renderBegins = this.store.lookup("/posts/1");
		assertThat(this.store.keysTagged("Post#1")).containsExactly("/posts/2");
		assertThat(this.store.put("/posts/1", entry("one", "Post#1", "edge"), TTL, renderBegins)).isTrue();
		this.store.invalidate(List.of("Post#1"));
		assertThat(reports).hasSize(1);
		assertThat(reports.get(0).get("edge")).containsExactlyInAnyOrder("/posts/1", "/posts/2");
	}

	@Test
	void clearDropsEverythingAndRefusesPutsFromEarlierLookups() {
		putFresh("/posts/1", entry("one", "Post#1"));
		putFresh("/about", entry("about"));
		PageLookup before = this.store.lookup("/posts/2");
		this.store.clear();
		assertThat(this.store.lookup("/posts/1").isHit()).isFalse();
		assertThat(this.store.lookup("/about").isHit()).isFalse();
		assertThat(this.store.keysTagged("Post#1")).isEmpty();
		assertThat(this.store.invalidate(List.of("Post#1"))).isZero();
		assertThat(this.store.put("/posts/2", entry("two", "Post#2"), TTL, before)).isFalse();
		assertThat(this.store.put("/posts/2", entry("two", "Post#2"), TTL, this.store.lookup("/posts/2"))).isTrue();
		assertThat(this.store.lookup("/posts/2").isHit()).isTrue();
	}

	@Test
	void keysTaggedListsTheKeysOfLiveEntriesCarryingTheTag() {
		putFresh("/posts/1", entry("one", "Post#1", "Post:*"));
		putFresh("/posts", entry("list", "Post:*"));
		putFresh("/about", entry("about", "Page#about"));
		assertThat(this.store.keysTagged("Post:*")).containsExactlyInAnyOrder("/posts/1", "/posts");
		assertThat(this.store.keysTagged("Post#1")).containsExactly("/posts/1");
		assertThat(this.store.keysTagged("Post#2")).isEmpty();
	}

	@Test
	void keysTaggedWithALimitListsAtMostThatManyAndCountTaggedCountsThemAll() {
		for (int i = 0; i < 12; i++) {
			putFresh("/posts/" + i, entry("post", "Post:*"));
		}
		putFresh("/about", entry("about", "Page#about"));
		assertThat(this.store.keysTagged("Post:*", 5)).hasSize(5).allMatch((key) -> key.startsWith("/posts/"));
		assertThat(this.store.keysTagged("Post:*", 0)).isEmpty();
		assertThat(this.store.keysTagged("Post:*", 100)).hasSize(12);
		assertThat(this.store.countTagged("Post:*")).isEqualTo(PageStore.PageCount.exact(12));
		assertThat(this.store.countTagged("Post#1")).isEqualTo(PageStore.PageCount.exact(0));
	}

	@Test
	void entriesExpireAfterTheirTtl() {
		Duration ttl = Duration.ofMillis(1500);
		this.store.put("/posts/1", entry("one", "Post#1"), ttl, this.store.lookup("/posts/1"));
		putFresh("/posts/2", entry("two", "Post#1"));
		assertThat(this.store.lookup("/posts/1").isHit()).isTrue();
		this.clock.advance(ttl.plusMillis(1));
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(25))
			.until(() -> !this.store.lookup("/posts/1").isHit());
		assertThat(this.store.keysTagged("Post#1")).containsExactly("/posts/2");
		assertThat(this.store.lookup("/posts/2").isHit()).isTrue();
	}

	@Test
	void keysAndTagsWithUnusualCharactersWork() {
		String key = "GET https://example.com/søg?q=ünï côdé&x={a}:b*c[1]\n\t\"quoted\" 🙂";
		String tag = "Straße#{42}:*[x] \"😀\"\n";
		String other = "Straße#{43}:*[x] \"😀\"\n";
		putFresh(key, entry("unicode", tag, other));
		assertThat(body(this.store.lookup(key))).isEqualTo("unicode");
		assertThat(this.store.keysTagged(tag)).containsExactly(key);
		PageLookup lookup = this.store.lookup(key + "/other");
		this.store.invalidate(List.of(tag.replace("42", "44")));
		assertThat(this.store.put(key + "/other", entry("other", other), TTL, lookup)).isTrue();
		assertThat(this.store.invalidate(List.of(tag))).isEqualTo(1);
		assertThat(this.store.lookup(key).isHit()).isFalse();
		assertThat(this.store.keysTagged(other)).containsExactly(key + "/other");
	}

	@Test
	void tagsOfGivesTheSortedTagsOfStoredPagesAndLeavesOutOthers() {
		String longKey = "/search?q=" + "x".repeat(400);
		putFresh("/posts/1", entry("one", "Post:*", "Post#1", "Comment#7"));
		putFresh(longKey, entry("long", "Search"));
		putFresh("/posts/2", entry("two", "Post#2"));
		this.store.invalidate(List.of("Post#2"));
		assertThat(this.store.tagsOf(List.of("/posts/1", longKey, "/posts/2", "/missing"))).containsExactly(
				Map.entry("/posts/1", List.of("Comment#7", "Post#1", "Post:*")), Map.entry(longKey, List.of("Search")));
		assertThat(this.store.tagsOf(List.of())).isEmpty();
	}

	@Test
	void longKeysAreStoredAndListedAsThemselves() {
		String longKey = "/search?q=" + "x".repeat(400);
		String otherLongKey = "/search?q=" + "x".repeat(399) + "y";
		putFresh(longKey, entry("long", "Search"));
		putFresh(otherLongKey, entry("other", "Search"));
		assertThat(body(this.store.lookup(longKey))).isEqualTo("long");
		assertThat(body(this.store.lookup(otherLongKey))).isEqualTo("other");
		assertThat(this.store.keysTagged("Search")).containsExactlyInAnyOrder(longKey, otherLongKey);
		assertThat(this.store.invalidate(List.of("Search"))).isEqualTo(2);
		assertThat(this.store.lookup(longKey).isHit()).isFalse();
	}

	@Test
	void entryWithoutTagsIsStoredAndDroppedByClear() {
		putFresh("/static", entry("static"));
		assertThat(this.store.lookup("/static").isHit()).isTrue();
		assertThat(this.store.invalidate(List.of("Anything"))).isZero();
		assertThat(this.store.lookup("/static").isHit()).isTrue();
		this.store.clear();
		assertThat(this.store.lookup("/static").isHit()).isFalse();
	}

	@Test
	void sequenceOfLookupsGrowsWithInvalidations() {
		long before = this.store.lookup("/a").sequence();
		this.store.invalidate(List.of("A"));
		this.store.invalidate(List.of("B"));
		assertThat(this.store.lookup("/a").sequence()).isGreaterThanOrEqualTo(before + 2);
	}

	@Test
	void hotListKeepsTheHottestPagesBestFirst() {
		this.store.setHotList(new HotList(Duration.ofMinutes(10), 3, 3, 32));
		this.store.addRequests(Map.of("/a", 5L, "/b", 10L, "/c", 1L, "/d", 7L));
		assertThat(this.store.hottest(10, 0.5)).as("the coldest page beyond the bound is dropped")
			.containsExactly(new HotPage("/b", 10), new HotPage("/d", 7), new HotPage("/a", 5));
		assertThat(this.store.hottest(2, 0.5)).containsExactly(new HotPage("/b", 10), new HotPage("/d", 7));
		assertThat(this.store.hottest(10, 6)).containsExactly(new HotPage("/b", 10), new HotPage("/d", 7));
		this.store.addRequests(Map.of("/a", 6L, "/e", 1L));
		assertThat(this.store.hottest(10, 0.5)).as("requests add up; a new cold page does not push a hot one out")
			.containsExactly(new HotPage("/a", 11), new HotPage("/b", 10), new HotPage("/d", 7));
		assertThat(this.store.hottest(0, 0.5)).isEmpty();
	}

	@Test
	void hotListScoresHalveEveryHalfLifeAndPagesUnderOneHalfGo() throws InterruptedException {
		this.store.setHotList(new HotList(Duration.ofSeconds(1), 1000, 3, 32));
		this.store.addRequests(Map.of("/a", 1000L, "/c", 1L));
		assertThat(this.store.hottest(10, 0.5)).containsExactly(new HotPage("/a", 1000), new HotPage("/c", 1));
		elapse(Duration.ofMillis(1200));
		this.store.addRequests(Map.of("/b", 10L));
		List<HotPage> hottest = this.store.hottest(10, 0.5);
		assertThat(hottest).extracting(HotPage::key).as("/c decayed under 0.5").containsExactly("/a", "/b");
		assertThat(hottest.get(0).requests()).as("1000 requests, 1.2 half-lives (or more) ago")
			.isLessThanOrEqualTo(1000 * Math.pow(2, -1.2) + 0.001)
			.isGreaterThan(10);
		assertThat(hottest.get(1).requests()).as("new requests count in full").isEqualTo(10);
	}

	@Test
	void clearLeavesTheHotListAndTellsTheRefreshListener() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.store.setRefreshListener(refreshListener(events));
		this.store.addRequests(Map.of("/posts/1", 4L));
		putFresh("/posts/1", entry("one", "Post#1"));
		this.store.clear();
		assertThat(events).containsExactly("cleared");
		assertThat(this.store.hottest(10, 3)).containsExactly(new HotPage("/posts/1", 4));
	}

	@Test
	void invalidationHandsOverTheHotPagesItDroppedBestFirst() {
		invalidationHandsOverTheHotPagesItDropped();
	}

	@Test
	void invalidationDeletingPageByPageHandsOverTheSameHotPages() {
		this.store.setDroppedPagesListener(List.of("Post#1"), (tags, keys) -> {
		});
		invalidationHandsOverTheHotPagesItDropped();
	}

	private void invalidationHandsOverTheHotPagesItDropped() {
		this.store.setHotList(new HotList(Duration.ofMinutes(10), 1000, 3, 3));
		String longKey = "/search?q=" + "x".repeat(300);
		this.store.addRequests(Map.of("/posts/1", 10L, "/posts/2", 5L, "/posts/3", 20L, "/posts/4", 2L, "/posts/5", 50L,
				"/posts/6", 30L, "/posts/7", 4L, longKey, 8L));
		for (String key : List.of("/posts/1", "/posts/2", "/posts/3", "/posts/4", "/posts/7", longKey)) {
			putFresh(key, entry(key, "Post#1", "Post:*"));
		}
		putFresh("/posts/5", entry("five", "Post#5", "Post:*"));
		List<String> events = new CopyOnWriteArrayList<>();
		this.store.setRefreshListener(refreshListener(events));
		assertThat(this.store.invalidate(List.of("Post#1", "Post:*"))).isEqualTo(7);
		assertThat(events).as("the best three of the hot pages deleted, each once; not /posts/6, which was not stored")
			.containsExactly("dropped [/posts/5=50.0, /posts/3=20.0, /posts/1=10.0]");
		this.store.setHotList(new HotList(Duration.ofMinutes(10), 1000, 3, 32));
		for (String key : List.of("/posts/1", "/posts/2", "/posts/4", "/posts/7", longKey)) {
			putFresh(key, entry(key, "Post#1"));
		}
		this.store.invalidate(List.of("Post#1"));
		assertThat(events).as("cold pages (under 3 requests) are left out")
			.containsExactly("dropped [/posts/5=50.0, /posts/3=20.0, /posts/1=10.0]",
					"dropped [/posts/1=10.0, " + longKey + "=8.0, /posts/2=5.0, /posts/7=4.0]");
		this.store.invalidate(List.of("Post#1"));
		assertThat(events).as("an invalidation that drops no hot page hands nothing over").hasSize(2);
	}

	private static PageStore.RefreshListener refreshListener(List<String> events) {
		return new PageStore.RefreshListener() {

			@Override
			public void hotPagesDropped(List<HotPage> pages) {
				events.add("dropped " + pages.stream().map((page) -> page.key() + "=" + page.requests()).toList());
			}

			@Override
			public void cleared() {
				events.add("cleared");
			}

		};
	}

	/**
	 * Let time pass for the store: on the test's clock and on the server's.
	 * @param duration how long
	 * @throws InterruptedException if interrupted
	 */
	protected void elapse(Duration duration) throws InterruptedException {
		this.clock.advance(duration);
		Thread.sleep(duration.toMillis());
	}

	/**
	 * Look a key up, then put an entry from that lookup, which must be accepted.
	 * @param key the key
	 * @param entry the entry
	 */
	protected void putFresh(String key, PageEntry entry) {
		PageLookup lookup = this.store.lookup(key);
		if (lookup.epoch() == null) {
			// a store that has just created its epoch accepts no put from that first
			// lookup
			lookup = this.store.lookup(key);
		}
		assertThat(this.store.put(key, entry, TTL, lookup)).as("put of %s", key).isTrue();
	}

	protected static PageEntry entry(String body, String... tags) {
		return new PageEntry(200, List.of(new PageEntry.Header("Content-Type", "text/html")),
				body.getBytes(StandardCharsets.UTF_8), body.length(),
				"\"" + Integer.toHexString(body.hashCode()) + "\"", 1_700_000_000_000L, Set.of(tags));
	}

	protected static String body(PageLookup lookup) {
		assertThat(lookup.isHit()).as("hit").isTrue();
		return new String(lookup.entry().gzippedBody(), StandardCharsets.UTF_8);
	}

}
