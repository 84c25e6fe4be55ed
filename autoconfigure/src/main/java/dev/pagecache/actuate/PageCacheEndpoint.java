package dev.pagecache.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.metrics.FleetStatistics;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.metrics.StatisticsSnapshot;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStore.PageCount;
import dev.pagecache.web.PageCacheAutoConfiguration.RefreshAheadStatus;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * {@link Endpoint @Endpoint} that shows how well pages are cached, on this instance and
 * in the fleet (every instance sharing the store), and purges them. Pages are named by
 * their route's URL pattern.
 * <ul>
 * <li>{@code GET /actuator/pagecache}: the store and its state, totals, statistics per
 * page, invalidations by entity type, and the same for the fleet.</li>
 * <li>{@code GET /actuator/pagecache/pages/posts/%7Bid%7D}: one page's statistics, here
 * those of {@code /posts/{id}} (braces percent-encoded; {@code pages/} alone is the root
 * page {@code /}) and, for an authenticated reader, some of its pages with their
 * tags.</li>
 * <li>{@code GET /actuator/pagecache/tags/Post%2342},
 * {@code GET /actuator/pagecache/entities/Post/42} and
 * {@code GET /actuator/pagecache/entities/Post}: how many pages depend on a tag, an
 * entity (every tag {@link PageCache#invalidateEntity(Class, Object)} drops) or an entity
 * type right now and, for an authenticated reader, the keys of up to
 * {@value #MAX_KEYS_PER_TAG} of them per tag.</li>
 * <li>{@code GET /actuator/pagecache/dashboard} ({@code text/html}, when
 * {@code pagecache.dashboard.enabled=true}): the statistics for a person to read
 * ({@link PageCacheDashboard}).</li>
 * <li>{@code DELETE} on {@code pages/...}, {@code tags/...}, {@code entities/...}: purge
 * the pages of a route, a tag, an entity or an entity type, and
 * {@code DELETE /actuator/pagecache} every page, on every instance.</li>
 * </ul>
 * Its default access is {@link Access#READ_ONLY read-only}: the purges exist only once
 * the application grants them with
 * {@code management.endpoint.pagecache.access=unrestricted} (and restricts them to its
 * operators with its security rules). A selector that names nothing is a {@code 400}
 * whose body says why ({@link PageCacheEndpointWebExtension}).
 * <p>
 * What a reader sees ({@link EndpointReader}): without a principal, page patterns and
 * figures, never a page key, and invalidation types that are not plain names as
 * {@code (other)}; with one, page keys and their tags too.
 * <p>
 * What a read costs the store does not grow with the number of pages: the store's state,
 * with a shared store one addition to and one read of the fleet's statistics, and the
 * number of pages of each route, counted with bounded work and kept
 * ({@link EntryCounts}). Selectors count each tag the same way and list at most a fixed
 * number of keys ({@link PageListing}); responses say when they list fewer pages than
 * there are.
 *
 * @author pagecache
 */
@Endpoint(id = "pagecache", defaultAccess = Access.READ_ONLY)
public class PageCacheEndpoint {

	static final String DASHBOARD = "dashboard";

	/** The most page keys a tag lists, for an authenticated reader. */
	static final int MAX_KEYS_PER_TAG = PageListing.MAX_KEYS_PER_TAG;

	private final StatisticsSource source;

	private final PageStore store;

	private final PageCache pageCache;

	private final @Nullable PageCacheDashboard dashboard;

	private final EntryCounts entries;

	private final EntityTypes entityTypes;

	private final @Nullable Supplier<EdgeDescriptor> edge;

	private final @Nullable Supplier<RefreshAheadStatus.Snapshot> refreshAhead;

	private final PageListing listing;

	/**
	 * Create an endpoint.
	 * @param statistics this instance's statistics
	 * @param fleet the fleet's statistics, or {@code null} without a shared store
	 * @param store the page store
	 * @param pageCache the page cache, for purges
	 * @param dashboard whether to serve the HTML view
	 */
	public PageCacheEndpoint(PageCacheStatistics statistics, @Nullable FleetStatistics fleet, PageStore store,
			PageCache pageCache, boolean dashboard) {
		this(statistics, fleet, store, pageCache, dashboard ? new PageCacheDashboard(null, false, Set.of()) : null,
				new EntryCounts(store), EntityTypes.ANY, null, null);
	}

	PageCacheEndpoint(PageCacheStatistics statistics, @Nullable FleetStatistics fleet, PageStore store,
			PageCache pageCache, @Nullable PageCacheDashboard dashboard, EntryCounts entries, EntityTypes entityTypes,
			@Nullable Supplier<EdgeDescriptor> edge, @Nullable Supplier<RefreshAheadStatus.Snapshot> refreshAhead) {
		this.source = new StatisticsSource(statistics, fleet);
		this.store = store;
		this.pageCache = pageCache;
		this.dashboard = dashboard;
		this.entries = entries;
		this.entityTypes = entityTypes;
		this.edge = edge;
		this.refreshAhead = refreshAhead;
		this.listing = new PageListing(store);
	}

	/**
	 * Every statistic.
	 * @param securityContext who reads them
	 * @return the statistics
	 */
	@ReadOperation
	public PageCacheDescriptor statistics(SecurityContext securityContext) {
		EndpointReader reader = EndpointReader.of(securityContext);
		String state = PageStoreProbe.state(this.store);
		StatisticsSnapshot instance = this.source.instance();
		StatisticsSnapshot fleet = this.source.fleet();
		Map<String, @Nullable PageCount> entries = "UP".equals(state)
				? this.entries.read(EntryCounts.changeStamps(instance, fleet)) : Map.of();
		StatisticsDescriptor instanceDescriptor = Descriptors.statistics(instance, entries, reader);
		return new PageCacheDescriptor(this.store.getName(), state, instanceDescriptor.totals(),
				instanceDescriptor.pages(), instanceDescriptor.invalidationsByType(),
				(fleet != null) ? Descriptors.statistics(fleet, entries, reader) : null,
				(this.edge != null) ? this.edge.get() : null,
				(this.refreshAhead != null) ? this.refreshAhead.get() : null);
	}

	/**
	 * One page's statistics, or which pages depend on a tag, an entity or an entity type.
	 * @param securityContext who reads them
	 * @param kind {@code pages}, {@code tags} or {@code entities}
	 * @param name the page's URL pattern without its leading {@code /}, the tag, or the
	 * entity type and identifier
	 * @return the page's statistics or the pages that depend on the tags, {@code null}
	 * (404) for an unknown page
	 * @throws org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException
	 * (400) for an unknown kind or a name that names nothing
	 */
	@ReadOperation
	public @Nullable OperationResponseBody detail(SecurityContext securityContext, @Selector String kind,
			@Selector(match = Match.ALL_REMAINING) String[] name) {
		SelectorKind selected = SelectorKind.parse(kind);
		EndpointReader reader = EndpointReader.of(securityContext);
		return switch (selected) {
			case PAGES -> this.listing.page(SelectorKind.page(name), this.source, this.entries, reader);
			case TAGS, ENTITIES -> this.listing.tagged(selected.tags(name, this.entityTypes), reader);
		};
	}

	/**
	 * The statistics as an HTML page, when enabled.
	 * @param securityContext who reads them
	 * @param view {@code dashboard}
	 * @return the page, or {@code null} (404) when the view is not enabled or unknown
	 */
	@ReadOperation(produces = "text/html")
	public @Nullable String view(SecurityContext securityContext, @Selector String view) {
		if (this.dashboard == null || !DASHBOARD.equals(view)) {
			return null;
		}
		return this.dashboard.render(statistics(securityContext), securityContext);
	}

	/**
	 * Drop every page, on every instance.
	 */
	@DeleteOperation
	public void purgeAll() {
		this.pageCache.clear();
	}

	/**
	 * Drop the pages of a route, a tag, an entity or an entity type, on every instance.
	 * @param kind {@code pages}, {@code tags} or {@code entities}
	 * @param name the route's URL pattern without its leading {@code /}, the tag, or the
	 * entity type and identifier
	 * @throws org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException
	 * (400) for an unknown kind, an unknown page or a name that names nothing
	 */
	@DeleteOperation
	public void purge(@Selector String kind, @Selector(match = Match.ALL_REMAINING) String[] name) {
		SelectorKind selected = SelectorKind.parse(kind);
		switch (selected) {
			case PAGES -> this.pageCache.invalidateRoute(SelectorKind.known(SelectorKind.page(name), pages()));
			case TAGS, ENTITIES -> this.pageCache.invalidateTags(selected.tags(name, this.entityTypes));
		}
	}

	/**
	 * The URL patterns of the pages this instance or the fleet has statistics of.
	 * @return the patterns, sorted
	 */
	Set<String> pages() {
		return this.source.pages();
	}

	/**
	 * Every statistic: this instance's, and the fleet's when the store is shared.
	 *
	 * @param store the store, {@code redis} or {@code memory}
	 * @param state {@code UP} when the store answers, else {@code DOWN}
	 * @param totals this instance's totals
	 * @param pages this instance's statistics per page
	 * @param invalidationsByType this instance's invalidations by entity type
	 * @param fleet the statistics of the fleet, every instance sharing the store, or
	 * {@code null} when it is not shared
	 * @param edge the purges of the edge, or {@code null} without
	 * {@code pagecache.edge.enabled}
	 * @param refreshAhead this instance's refreshes, or {@code null} without
	 * refresh-ahead
	 */
	public record PageCacheDescriptor(String store, String state, TotalsDescriptor totals, List<PageDescriptor> pages,
			List<InvalidationsDescriptor> invalidationsByType, @Nullable StatisticsDescriptor fleet,
			@Nullable EdgeDescriptor edge,
			RefreshAheadStatus.@Nullable Snapshot refreshAhead) implements OperationResponseBody {

	}

	/**
	 * The purges of the edge.
	 *
	 * @param queued failed purges waiting to be retried, of every instance when the queue
	 * is in Redis
	 * @param lastFailure the purger and message of this instance's last failed purge, or
	 * {@code null} if none since start-up
	 * @param lastFailureAt when it happened, or {@code null}
	 */
	public record EdgeDescriptor(long queued, @Nullable String lastFailure, @Nullable Instant lastFailureAt) {

	}

	/**
	 * Totals, pages and invalidations, of the fleet.
	 *
	 * @param totals the totals
	 * @param pages the statistics per page
	 * @param invalidationsByType the invalidations by entity type
	 */
	public record StatisticsDescriptor(TotalsDescriptor totals, List<PageDescriptor> pages,
			List<InvalidationsDescriptor> invalidationsByType) {

	}

	/**
	 * The totals over all pages.
	 *
	 * @param hits requests served from the store
	 * @param misses requests rendered because the store did not have the page
	 * @param hitRatio hits among hits and misses, 0 to 1
	 * @param stores renders stored
	 * @param notStored renders not stored
	 * @param notStoredByReason renders not stored by why, reasons without any left out
	 * @param invalidations invalidations (each call that invalidates tags, and each
	 * clear)
	 * @param entries pages in the store now, or {@code null} if the store cannot be
	 * reached
	 * @param entriesEstimated whether {@code entries} is an estimate: about that many
	 * @param missesByReason the misses by reason
	 * @param bypasses requests served without the store
	 * @param savedRenderMillis render time the hits saved: the sum of the pages' (each
	 * page's hits times its average render)
	 */
	public record TotalsDescriptor(long hits, long misses, double hitRatio, long stores, long notStored,
			Map<String, Long> notStoredByReason, long invalidations, @Nullable Long entries, boolean entriesEstimated,
			MissesDescriptor missesByReason, long bypasses, double savedRenderMillis) {

	}

	/**
	 * The statistics of one page, a route named by its URL pattern.
	 *
	 * @param page the URL pattern, such as {@code /posts/{id}}
	 * @param hits requests served from the store
	 * @param misses requests rendered because the store did not have the page
	 * @param hitRatio hits among hits and misses, 0 to 1
	 * @param missesByReason the misses by reason
	 * @param averageRenderMillis the average render time of a miss
	 * @param savedRenderMillis render time the hits saved, estimated as one average
	 * render per hit
	 * @param stores renders stored
	 * @param notStored renders not stored
	 * @param notStoredByReason renders not stored by why ({@code cookie},
	 * {@code unkeyedInput}, ...), reasons without any left out
	 * @param bypasses requests served without the store
	 * @param entries pages of the route in the store now, or {@code null} if the store
	 * cannot be reached
	 * @param entriesEstimated whether {@code entries} is an estimate: about that many
	 */
	public record PageDescriptor(String page, long hits, long misses, double hitRatio, MissesDescriptor missesByReason,
			double averageRenderMillis, double savedRenderMillis, long stores, long notStored,
			Map<String, Long> notStoredByReason, long bypasses, @Nullable Long entries, boolean entriesEstimated) {

	}

	/**
	 * Misses by why the page was not in the store.
	 *
	 * @param first never stored, or not within the miss reason retention
	 * @param invalidated dropped by an invalidation or a purge
	 * @param expired reached its time to live
	 * @param evicted dropped early by the store to make room
	 */
	public record MissesDescriptor(long first, long invalidated, long expired, long evicted) {

	}

	/**
	 * Invalidations of one entity type.
	 *
	 * @param type the entity type ({@code path}, {@code route}, {@code *} for clears,
	 * {@code (other)} past 100 types)
	 * @param invalidations the invalidations that concerned it
	 */
	public record InvalidationsDescriptor(String type, long invalidations) {

	}

	/**
	 * One page's statistics on this instance and in the fleet.
	 *
	 * @param page the URL pattern
	 * @param instance this instance's statistics
	 * @param fleet the fleet's statistics, or {@code null} when the store is not shared
	 * @param stored some of its pages in the store with their tags, for an authenticated
	 * reader, else {@code null}
	 */
	public record PageDetailDescriptor(String page, PageDescriptor instance, @Nullable PageDescriptor fleet,
			@Nullable StoredPagesDescriptor stored) implements OperationResponseBody {

	}

	/**
	 * Some pages of a route in the store, with what each depends on.
	 *
	 * @param pages the pages, at most {@code limit}
	 * @param limit the most pages listed
	 * @param truncated whether the route has more pages than listed
	 */
	public record StoredPagesDescriptor(List<PageKeyDescriptor> pages, int limit, boolean truncated) {

	}

	/**
	 * A page in the store.
	 *
	 * @param key the page key, such as {@code GET http://localhost:8080/posts/42}
	 * @param tags the tags it depends on, sorted
	 */
	public record PageKeyDescriptor(String key, List<String> tags) {

	}

	/**
	 * The pages that depend on tags right now.
	 *
	 * @param tags the tags, each with its number of pages
	 * @param pages the keys of pages that carry any of them, at most
	 * {@code pagesLimitPerTag} per tag, or {@code null} for an anonymous reader
	 * @param pagesLimitPerTag the most keys listed per tag
	 * @param pagesTruncated whether some tag has more pages than listed
	 */
	public record TaggedPagesDescriptor(List<TagDescriptor> tags, @Nullable List<String> pages, int pagesLimitPerTag,
			boolean pagesTruncated) implements OperationResponseBody {

	}

	/**
	 * How many pages carry a tag.
	 *
	 * @param tag the tag
	 * @param entries the number of pages in the store that carry it
	 * @param entriesEstimated whether {@code entries} is an estimate: about that many
	 */
	public record TagDescriptor(String tag, long entries, boolean entriesEstimated) {

	}

}
