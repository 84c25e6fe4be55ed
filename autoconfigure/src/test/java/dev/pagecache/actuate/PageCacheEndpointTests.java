package dev.pagecache.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.actuate.PageCacheEndpoint.PageCacheDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageDetailDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TagDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TaggedPagesDescriptor;
import dev.pagecache.metrics.FleetStatistics;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStore.PageCount;
import dev.pagecache.test.MutableClock;
import dev.pagecache.web.PageCacheAutoConfiguration.RefreshAheadStatus;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link PageCacheEndpoint} as a plain object, over the in-memory store.
 */
class PageCacheEndpointTests {

	private static final String POSTS = "/posts/{id}";

	private static final SecurityContext ANONYMOUS = SecurityContext.NONE;

	private static final SecurityContext AUTHENTICATED = Readers.signedIn();

	private final InMemoryPageStore store = new InMemoryPageStore(1_000, 1 << 20, Duration.ofSeconds(10),
			Clock.systemUTC());

	private final PageCacheStatistics statistics = new PageCacheStatistics();

	private final PageCache pageCache = new StorePageCache(this.store);

	PageCacheEndpointTests() {
		this.store.setStatisticsListener(this.statistics);
		this.store.setMissReasonRetention(Duration.ofHours(1));
		this.statistics.register(List.of(POSTS, "/"));
	}

	private PageCacheEndpoint endpoint(boolean dashboard) {
		return new PageCacheEndpoint(this.statistics, new FleetStatistics(this.statistics, null, Duration.ofSeconds(5)),
				this.store, this.pageCache, dashboard);
	}

	@Test
	void refreshesOfRefreshAheadAreASectionOfTheirOwnWhenItIsOn() {
		RefreshAheadStatus.Snapshot figures = new RefreshAheadStatus.Snapshot(12, 9, 1, 2, 40, 3, 0.4);
		PageCacheEndpoint endpoint = new PageCacheEndpoint(this.statistics, null, this.store, this.pageCache, null,
				new EntryCounts(this.store), EntityTypes.ANY, null, () -> figures);
		assertThat(endpoint.statistics(ANONYMOUS).refreshAhead()).isEqualTo(figures);
		assertThat(endpoint(false).statistics(ANONYMOUS).refreshAhead()).isNull();
	}

	@Test
	void statisticsOfEachPageAndTheirTotals() {
		this.statistics.hit(POSTS);
		this.statistics.hit(POSTS);
		this.statistics.hit(POSTS);
		this.statistics.miss(POSTS, MissReason.FIRST, 2_000_000);
		this.statistics.miss(POSTS, MissReason.INVALIDATED, 4_000_000);
		this.statistics.stored(POSTS);
		this.statistics.bypassed(POSTS);
		this.statistics.miss("/", MissReason.EXPIRED, 1_000_000);
		put("GET http://localhost/posts/1", POSTS, "Post#1");
		put("GET http://localhost/posts/2", POSTS, "Post#2");

		PageCacheDescriptor descriptor = endpoint(false).statistics(ANONYMOUS);
		assertThat(descriptor.store()).isEqualTo("memory");
		assertThat(descriptor.state()).isEqualTo("UP");
		assertThat(descriptor.fleet()).isNull();
		assertThat(descriptor.pages()).extracting(PageDescriptor::page).containsExactly("/", POSTS);
		PageDescriptor posts = descriptor.pages().get(1);
		assertThat(posts.hits()).isEqualTo(3);
		assertThat(posts.misses()).isEqualTo(2);
		assertThat(posts.hitRatio()).isEqualTo(0.6);
		assertThat(posts.missesByReason().first()).isEqualTo(1);
		assertThat(posts.missesByReason().invalidated()).isEqualTo(1);
		assertThat(posts.averageRenderMillis()).isEqualTo(3.0);
		assertThat(posts.savedRenderMillis()).isEqualTo(9.0);
		assertThat(posts.stores()).isEqualTo(1);
		assertThat(posts.bypasses()).isEqualTo(1);
		assertThat(posts.entries()).isEqualTo(2);
		assertThat(descriptor.totals().hits()).isEqualTo(3);
		assertThat(descriptor.totals().misses()).isEqualTo(3);
		assertThat(descriptor.totals().hitRatio()).isEqualTo(0.5);
		assertThat(descriptor.totals().missesByReason().expired()).isEqualTo(1);
		assertThat(descriptor.totals().entries()).isEqualTo(2);
	}

	@Test
	void pagesWithoutRequestsHaveZeroStatistics() {
		PageDescriptor home = endpoint(false).statistics(ANONYMOUS).pages().get(0);
		assertThat(home.page()).isEqualTo("/");
		assertThat(home.hits()).isZero();
		assertThat(home.hitRatio()).isZero();
		assertThat(home.averageRenderMillis()).isZero();
	}

	@Test
	void invalidationsAreCountedByEntityType() {
		this.pageCache.invalidateTags("Post#1", "Post:*", "Comment#7", PageTags.path("/posts/1"));
		this.pageCache.invalidateTags("Comment");
		this.pageCache.clear();
		PageCacheDescriptor descriptor = endpoint(false).statistics(ANONYMOUS);
		assertThat(descriptor.totals().invalidations()).isEqualTo(3);
		assertThat(descriptor.invalidationsByType()).extracting((each) -> each.type() + "=" + each.invalidations())
			.containsExactly("*=1", "Comment=2", "Post=1", "path=1");
	}

	@Test
	void readsCountARouteAgainOnlyOnceOneOfItsPagesWasStoredOrSomethingWasInvalidatedAndAtMostOnceASecond() {
		CountingStore counting = new CountingStore(this.store);
		MutableClock clock = new MutableClock();
		PageCacheEndpoint endpoint = new PageCacheEndpoint(this.statistics,
				new FleetStatistics(this.statistics, null, Duration.ofSeconds(5)), counting, this.pageCache, null,
				new EntryCounts(counting, clock, EntryCounts.DEFAULT_MIN_AGE, EntryCounts.DEFAULT_MAX_AGE, 16),
				EntityTypes.ANY, null, null);
		put("GET http://localhost/posts/1", POSTS, "Post#1");
		assertThat(endpoint.statistics(ANONYMOUS).totals().entries()).isEqualTo(1);
		endpoint.statistics(ANONYMOUS);
		endpoint.detail(ANONYMOUS, "pages", new String[] { "posts", "{id}" });
		assertThat(counting.counts).as("each route once").isEqualTo(2);
		put("GET http://localhost/posts/2", POSTS, "Post#2");
		this.statistics.stored(POSTS);
		assertThat(endpoint.statistics(ANONYMOUS).pages().get(1).entries()).as("counted less than a second ago")
			.isEqualTo(1);
		clock.advance(EntryCounts.DEFAULT_MIN_AGE);
		assertThat(endpoint.statistics(ANONYMOUS).pages().get(1).entries()).isEqualTo(2);
		assertThat(counting.counts).as("only the route that stored").isEqualTo(3);
		this.pageCache.invalidateTags("Post#1");
		clock.advance(EntryCounts.DEFAULT_MIN_AGE);
		PageDetailDescriptor detail = (PageDetailDescriptor) endpoint.detail(ANONYMOUS, "pages",
				new String[] { "posts", "{id}" });
		assertThat(detail.instance().entries()).isEqualTo(1);
		assertThat(counting.counts).isEqualTo(4);
	}

	@Test
	void detailOfOnePage() {
		this.statistics.hit(POSTS);
		PageDetailDescriptor detail = (PageDetailDescriptor) endpoint(false).detail(ANONYMOUS, "pages",
				new String[] { "posts", "{id}" });
		assertThat(detail.page()).isEqualTo(POSTS);
		assertThat(detail.instance().hits()).isEqualTo(1);
		assertThat(detail.fleet()).isNull();
		PageDetailDescriptor root = (PageDetailDescriptor) endpoint(false).detail(ANONYMOUS, "pages", new String[0]);
		assertThat(root.page()).isEqualTo("/");
		assertThat(endpoint(false).detail(ANONYMOUS, "pages", new String[] { "unknown" })).isNull();
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint(false).detail(ANONYMOUS, "widgets", new String[] { "x" }))
			.withMessage("Unknown kind 'widgets': use one of pages, tags, entities");
	}

	@Test
	void pagesThatDependOnATagAnEntityOrAnEntityTypeWithTheirKeysForAnAuthenticatedReader() {
		put("GET http://localhost/posts/1", POSTS, "Post#1", "Post:*");
		put("GET http://localhost/", "/", "Post");
		PageCacheEndpoint endpoint = endpoint(false);
		TaggedPagesDescriptor tag = (TaggedPagesDescriptor) endpoint.detail(AUTHENTICATED, "tags",
				new String[] { "Post#1" });
		assertThat(tag.tags()).containsExactly(new TagDescriptor("Post#1", 1, false));
		assertThat(tag.pages()).containsExactly("GET http://localhost/posts/1");
		TaggedPagesDescriptor entity = (TaggedPagesDescriptor) endpoint.detail(AUTHENTICATED, "entities",
				new String[] { "Post", "1" });
		assertThat(entity.tags()).extracting(TagDescriptor::tag)
			.containsExactly("Post#1", "Post#1.*", "Post#1:children");
		assertThat(entity.pages()).containsExactly("GET http://localhost/posts/1");
		TaggedPagesDescriptor type = (TaggedPagesDescriptor) endpoint.detail(AUTHENTICATED, "entities",
				new String[] { "Post" });
		assertThat(type.tags()).containsExactly(new TagDescriptor("Post", 1, false),
				new TagDescriptor("Post:*", 1, false));
		assertThat(type.pages()).containsExactlyInAnyOrder("GET http://localhost/", "GET http://localhost/posts/1");
		TaggedPagesDescriptor path = (TaggedPagesDescriptor) endpoint.detail(AUTHENTICATED, "tags",
				new String[] { "route:", "posts", "{id}" });
		assertThat(path.tags()).containsExactly(new TagDescriptor("route:/posts/{id}", 1, false));
		assertThat(path.pages()).containsExactly("GET http://localhost/posts/1");
	}

	@Test
	void anEntityListsAndPurgesEveryPageInvalidateEntityDropsAlsoThoseThatShowSomeOfItsAttributes() {
		put("GET http://localhost/posts/1", POSTS, "Post#1", "Post#1:children");
		put("GET http://localhost/categories/news", "/categories/{slug}", "Post#1.title", "Post#1.*", "Post#2.title",
				"Post#2.*");
		put("GET http://localhost/authors/3", "/authors/{id}", "Post#1.*");
		put("GET http://localhost/posts/2", POSTS, "Post#2", "Post#2:children");
		PageCacheEndpoint endpoint = endpoint(false);
		TaggedPagesDescriptor entity = (TaggedPagesDescriptor) endpoint.detail(AUTHENTICATED, "entities",
				new String[] { "Post", "1" });
		assertThat(entity.tags()).containsExactly(new TagDescriptor("Post#1", 1, false),
				new TagDescriptor("Post#1.*", 2, false), new TagDescriptor("Post#1:children", 1, false));
		assertThat(entity.pages()).containsExactlyInAnyOrder("GET http://localhost/posts/1",
				"GET http://localhost/categories/news", "GET http://localhost/authors/3");
		assertThat(this.pageCache.pagesShowing(Post.class, 1)).containsExactlyInAnyOrderElementsOf(entity.pages());
		endpoint.purge("entities", new String[] { "Post", "1" });
		assertThat(Stream.of("/posts/1", "/categories/news", "/authors/3", "/posts/2")
			.filter((path) -> this.store.lookup("GET http://localhost" + path).isHit())).containsExactly("/posts/2");
	}

	@Test
	void aPagePatternListsSomeOfItsPagesWithTheirTagsToAnAuthenticatedReaderAndSaysWhenThereAreMore() {
		this.statistics.hit(POSTS);
		put("GET http://localhost/posts/1", POSTS, "Post#1", "Comment#9");
		PageDetailDescriptor detail = (PageDetailDescriptor) endpoint(false).detail(AUTHENTICATED, "pages",
				new String[] { "posts", "{id}" });
		assertThat(detail.stored()).isNotNull();
		assertThat(detail.stored().pages()).singleElement().satisfies((page) -> {
			assertThat(page.key()).isEqualTo("GET http://localhost/posts/1");
			assertThat(page.tags()).containsExactly("Comment#9", "Post#1", "route:/posts/{id}");
		});
		assertThat(detail.stored().truncated()).isFalse();
		assertThat(((PageDetailDescriptor) endpoint(false).detail(ANONYMOUS, "pages", new String[] { "posts", "{id}" }))
			.stored()).as("no keys for an anonymous reader").isNull();
		for (int i = 2; i <= 60; i++) {
			put("GET http://localhost/posts/" + i, POSTS, "Post#" + i);
		}
		PageDetailDescriptor many = (PageDetailDescriptor) endpoint(false).detail(AUTHENTICATED, "pages",
				new String[] { "posts", "{id}" });
		assertThat(many.stored().pages()).hasSize(PageListing.MAX_PAGES_PER_ROUTE);
		assertThat(many.stored().limit()).isEqualTo(PageListing.MAX_PAGES_PER_ROUTE);
		assertThat(many.stored().truncated()).isTrue();
	}

	@Test
	void aTagSaysWhenItHasMorePagesThanItLists() {
		for (int i = 0; i < 3; i++) {
			put("GET http://localhost/posts/" + i, POSTS, "Post:*");
		}
		TaggedPagesDescriptor few = (TaggedPagesDescriptor) endpoint(false).detail(AUTHENTICATED, "tags",
				new String[] { "Post:*" });
		assertThat(few.pagesTruncated()).isFalse();
		assertThat(few.pagesLimitPerTag()).isEqualTo(PageCacheEndpoint.MAX_KEYS_PER_TAG);
		for (int i = 3; i < 150; i++) {
			put("GET http://localhost/posts/" + i, POSTS, "Post:*");
		}
		TaggedPagesDescriptor many = (TaggedPagesDescriptor) endpoint(false).detail(AUTHENTICATED, "tags",
				new String[] { "Post:*" });
		assertThat(many.pages()).hasSize(PageCacheEndpoint.MAX_KEYS_PER_TAG);
		assertThat(many.pagesTruncated()).isTrue();
	}

	@Test
	void purgingAPatternThatNamesNoPageIsABadRequestThatListsThePatterns() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint(false).purge("pages", new String[] { "post", "{id}" }))
			.withMessage("No page has the URL pattern '/post/{id}': the patterns are /, /posts/{id}"
					+ " (pages/posts/%7Bid%7D names /posts/{id})");
	}

	@Test
	void totalRenderTimeSavedIsTheSumOfThePagesRows() {
		this.statistics.hit(POSTS);
		this.statistics.hit(POSTS);
		this.statistics.hit(POSTS);
		this.statistics.miss(POSTS, MissReason.FIRST, 2_000_000);
		this.statistics.miss(POSTS, MissReason.FIRST, 4_000_000);
		this.statistics.hit("/");
		this.statistics.miss("/", MissReason.FIRST, 10_000_000);
		PageCacheDescriptor descriptor = endpoint(false).statistics(ANONYMOUS);
		assertThat(descriptor.pages()).extracting(PageDescriptor::savedRenderMillis).containsExactly(10.0, 9.0);
		assertThat(descriptor.totals().savedRenderMillis()).as("not 4 hits at the average of all renders")
			.isEqualTo(19.0);
		assertThat(endpoint(true).view(ANONYMOUS, "dashboard")).contains("data-saved-render-millis=\"19.0\"")
			.contains("<dd>19.0 ms</dd>");
	}

	@Test
	void dashboardExplainsWhyInvalidationsByTypeDoNotAddUpToTheTotal() {
		this.pageCache.invalidateTags("Post#1");
		assertThat(endpoint(true).view(ANONYMOUS, "dashboard")).doesNotContain("<p class=\"pc-invalidations-note\"");
		this.pageCache.invalidateTags("Comment#7", "Comment:*", "Post#1:children");
		PageCacheDescriptor descriptor = endpoint(false).statistics(ANONYMOUS);
		assertThat(descriptor.totals().invalidations()).isEqualTo(2);
		assertThat(descriptor.invalidationsByType()).extracting((each) -> each.type() + "=" + each.invalidations())
			.containsExactly("Comment=1", "Post=2");
		assertThat(endpoint(true).view(ANONYMOUS, "dashboard"))
			.contains("<p class=\"pc-invalidations-note\" data-sum=\"3\" data-total=\"2\">By type they add up to 3"
					+ " for 2 invalidations: one invalidation counts once under each type it concerns");
	}

	@Test
	void purgeButtonsShowOnlyWhenTheEndpointAllowsWritesAndTheReaderMayPurge() {
		SecurityContext admin = Readers.signedIn("ADMIN");

		assertThat(dashboard(false, Set.of()).view(AUTHENTICATED, "dashboard")).contains("data-purge=\"false\"")
			.doesNotContain("class=\"pc-purge");
		assertThat(dashboard(true, Set.of()).view(ANONYMOUS, "dashboard")).contains("data-purge=\"false\"")
			.doesNotContain("class=\"pc-purge");
		assertThat(dashboard(true, Set.of()).view(AUTHENTICATED, "dashboard")).contains("data-purge=\"true\"")
			.contains("<button type=\"button\" class=\"pc-purge pc-purge-all\"");
		assertThat(dashboard(true, Set.of("ADMIN")).view(AUTHENTICATED, "dashboard")).contains("data-purge=\"false\"")
			.doesNotContain("class=\"pc-purge");
		assertThat(dashboard(true, Set.of("ADMIN")).view(admin, "dashboard")).contains("data-purge=\"true\"")
			.contains("class=\"pc-purge pc-purge-all\"");
	}

	private PageCacheEndpoint dashboard(boolean writable, Set<String> purgeRoles) {
		return new PageCacheEndpoint(this.statistics, null, this.store, this.pageCache,
				new PageCacheDashboard(null, writable, purgeRoles), new EntryCounts(this.store), EntityTypes.ANY, null,
				null);
	}

	@Test
	void anAnonymousReaderSeesHowManyPagesDependOnATagButNoKey() {
		put("GET http://localhost/posts/1", POSTS, "Post#1", "Post:*");
		put("GET http://evil.example/posts/01", POSTS, "Post#1", "Post:*");
		TaggedPagesDescriptor route = (TaggedPagesDescriptor) endpoint(false).detail(ANONYMOUS, "tags",
				new String[] { "route:", "posts", "{id}" });
		assertThat(route.tags()).containsExactly(new TagDescriptor("route:/posts/{id}", 2, false));
		assertThat(route.pages()).isNull();
		TaggedPagesDescriptor entity = (TaggedPagesDescriptor) endpoint(false).detail(ANONYMOUS, "entities",
				new String[] { "Post" });
		assertThat(entity.tags()).extracting(TagDescriptor::entries).containsExactly(0L, 2L);
		assertThat(entity.pages()).isNull();
	}

	@Test
	void anAuthenticatedReaderSeesAtMostAHundredKeysOfATagAndHowManyThereAre() {
		for (int i = 0; i < 150; i++) {
			put("GET http://localhost/posts/" + i, POSTS, "Post:*");
		}
		TaggedPagesDescriptor type = (TaggedPagesDescriptor) endpoint(false).detail(AUTHENTICATED, "tags",
				new String[] { "Post:*" });
		assertThat(type.tags()).containsExactly(new TagDescriptor("Post:*", 150, false));
		assertThat(type.pages()).hasSize(PageCacheEndpoint.MAX_KEYS_PER_TAG);
	}

	@Test
	void anAnonymousReaderSeesInvalidationTypesThatAreNotPlainNamesAsOther() {
		this.pageCache.invalidateTags("Post#1", "https://evil.example/feed", PageTags.path("/posts/1"));
		this.pageCache.invalidateTags("feed:evil.example");
		this.pageCache.invalidateTags("Comment", "Comment:*");
		assertThat(endpoint(false).statistics(ANONYMOUS).invalidationsByType())
			.extracting((each) -> each.type() + "=" + each.invalidations())
			.containsExactly("(other)=2", "Comment=1", "Post=1", "path=1");
		assertThat(endpoint(false).statistics(AUTHENTICATED).invalidationsByType())
			.extracting((each) -> each.type() + "=" + each.invalidations())
			.containsExactly("Comment=1", "Post=1", "feed:evil.example=1", "https://evil.example/feed=1", "path=1");
		String dashboard = endpoint(true).view(ANONYMOUS, "dashboard");
		assertThat(dashboard).doesNotContain("evil.example").contains("data-type=\"(other)\"");
	}

	@Test
	void estimatedEntriesMakeTheTotalAnEstimateAndTheDashboardSaysAbout() {
		this.statistics.hit(POSTS);
		put("GET http://localhost/", "/", "Post");
		PageStore estimating = new CountingStore(this.store) {

			@Override
			public PageCount countTagged(String tag) {
				PageCount count = super.countTagged(tag);
				return PageTags.route(POSTS).equals(tag) ? PageCount.estimated(4_980) : count;
			}

		};
		PageCacheEndpoint endpoint = new PageCacheEndpoint(this.statistics,
				new FleetStatistics(this.statistics, null, Duration.ofSeconds(5)), estimating, this.pageCache, true);
		PageCacheDescriptor descriptor = endpoint.statistics(ANONYMOUS);
		assertThat(descriptor.pages()).extracting(PageDescriptor::entries, PageDescriptor::entriesEstimated)
			.containsExactly(tuple(1L, false), tuple(4_980L, true));
		assertThat(descriptor.totals().entries()).isEqualTo(4_981);
		assertThat(descriptor.totals().entriesEstimated()).isTrue();
		assertThat(endpoint.view(ANONYMOUS, "dashboard")).contains("<td class=\"pc-num pc-entries\">about 4980</td>")
			.contains("<td class=\"pc-num pc-entries\">1</td>")
			.contains("<dd>about 4981</dd>");
	}

	@Test
	void purgesDropThePagesOfARouteATagAnEntityAnEntityTypeOrEverything() {
		PageCacheEndpoint endpoint = endpoint(false);
		put("GET http://localhost/posts/1", POSTS, "Post#1", "Post:*");
		put("GET http://localhost/posts/2", POSTS, "Post#2", "Post:*");
		put("GET http://localhost/", "/", "Post");
		endpoint.purge("entities", new String[] { "Post", "1" });
		assertThat(cached()).containsExactlyInAnyOrder("/posts/2", "/");
		endpoint.purge("pages", new String[] { "posts", "{id}" });
		assertThat(cached()).containsExactly("/");
		put("GET http://localhost/posts/2", POSTS, "Post#2", "Post:*");
		endpoint.purge("tags", new String[] { "Post#2" });
		assertThat(cached()).containsExactly("/");
		put("GET http://localhost/posts/2", POSTS, "Post#2", "Post:*");
		endpoint.purge("entities", new String[] { "Post" });
		assertThat(cached()).isEmpty();
		put("GET http://localhost/", "/", "Post");
		endpoint.purgeAll();
		assertThat(cached()).isEmpty();
		assertThat(this.store.lookup("GET http://localhost/").missReason()).isEqualTo(MissReason.INVALIDATED);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint.purge("widgets", new String[] { "x" }));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint.purge("entities", new String[] { "Post", "1", "2" }));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> endpoint.purge("tags", new String[0]));
	}

	@Test
	void dashboardIsServedOnlyWhenEnabled() {
		this.statistics.hit(POSTS);
		this.statistics.miss(POSTS, MissReason.INVALIDATED, 1_000_000);
		assertThat(endpoint(false).view(ANONYMOUS, "dashboard")).isNull();
		String html = endpoint(true).view(ANONYMOUS, "dashboard");
		assertThat(html)
			.contains("<main id=\"pagecache-dashboard\" data-store=\"memory\" data-state=\"UP\" data-purge=\"false\"")
			.contains("<tr class=\"pc-page\" data-page=\"/posts/{id}\" data-hit-ratio=\"0.5\">")
			.contains("<span class=\"pc-miss-invalidated\" data-count=\"1\"")
			.doesNotContain("id=\"pc-fleet\"");
		assertThat(endpoint(true).view(ANONYMOUS, "other")).isNull();
	}

	@Test
	void dashboardEscapesWhatItShows() {
		this.statistics.hit("/search/<script>");
		this.pageCache.invalidateTags("\"><img src=x>#1");
		String html = endpoint(true).view(ANONYMOUS, "dashboard");
		assertThat(html).doesNotContain("/search/<script>").doesNotContain("<img").contains("/search/&lt;script&gt;");
	}

	/**
	 * An entity type named {@code Post}, for the API that takes classes.
	 */
	static final class Post {

	}

	/**
	 * The in-memory store, counting the calls of {@link #countTagged(String)}.
	 */
	static class CountingStore implements PageStore {

		private final PageStore store;

		int counts;

		CountingStore(PageStore store) {
			this.store = store;
		}

		@Override
		public PageCount countTagged(String tag) {
			this.counts++;
			return this.store.countTagged(tag);
		}

		@Override
		public PageLookup lookup(String key) {
			return this.store.lookup(key);
		}

		@Override
		public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
			return this.store.put(key, entry, ttl, lookup);
		}

		@Override
		public long invalidate(Collection<String> tags) {
			return this.store.invalidate(tags);
		}

		@Override
		public void clear() {
			this.store.clear();
		}

		@Override
		public List<String> keysTagged(String tag) {
			return this.store.keysTagged(tag);
		}

		@Override
		public String getName() {
			return this.store.getName();
		}

	}

	private void put(String key, String route, String... tags) {
		PageLookup lookup = this.store.lookup(key);
		Set<String> allTags = new LinkedHashSet<>(List.of(tags));
		allTags.add(PageTags.route(route));
		PageEntry entry = new PageEntry(200, List.of(), new byte[] { 1 }, 1, "\"e\"", 0, allTags);
		assertThat(this.store.put(key, entry, Duration.ofMinutes(10), lookup)).isTrue();
	}

	private List<String> cached() {
		return Stream.of("/posts/1", "/posts/2", "/")
			.filter((path) -> this.store.lookup("GET http://localhost" + path).isHit())
			.toList();
	}

	/**
	 * The application's page cache as far as the endpoint uses it: invalidations and
	 * lookups go to the store.
	 */
	private record StorePageCache(PageStore store) implements PageCache {

		@Override
		public void invalidateTags(Collection<String> tags) {
			this.store.invalidate(tags);
		}

		@Override
		public void clear() {
			this.store.clear();
		}

		@Override
		public void dependOn(String... tags) {
		}

		@Override
		public List<String> pagesTagged(String tag) {
			return this.store.keysTagged(tag);
		}

	}

}
