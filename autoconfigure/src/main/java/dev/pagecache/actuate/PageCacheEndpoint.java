package dev.pagecache.actuate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.metrics.PageCacheFigures;
import dev.pagecache.metrics.PageCacheFleet;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.metrics.PageFigures;
import dev.pagecache.store.PageStore;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * {@link Endpoint @Endpoint} that shows how well pages are cached, on this instance and
 * on every instance sharing the store, and purges them. Pages are named by their route's
 * URL pattern.
 * <ul>
 * <li>{@code GET /actuator/pagecache}: the store and its state, totals, figures per page,
 * invalidations by entity type, and the same for the fleet.</li>
 * <li>{@code GET /actuator/pagecache/pages/posts/%7Bid%7D}: one page's figures, here
 * those of {@code /posts/{id}} (braces percent-encoded; {@code pages/} alone is the root
 * page {@code /}).</li>
 * <li>{@code GET /actuator/pagecache/tags/Post%2342},
 * {@code GET /actuator/pagecache/entities/Post/42} and
 * {@code GET /actuator/pagecache/entities/Post}: the keys of the pages that depend on a
 * tag, an entity or an entity type right now.</li>
 * <li>{@code GET /actuator/pagecache/dashboard} ({@code text/html}, when
 * {@code pagecache.dashboard.enabled=true}): the figures for a person to read.</li>
 * <li>{@code DELETE} on {@code pages/...}, {@code tags/...}, {@code entities/...}: purge
 * every page of a route, of a tag, of an entity or of an entity type;
 * {@code DELETE /actuator/pagecache} purges everything, on every instance.</li>
 * </ul>
 *
 * @author pagecache
 */
@Endpoint(id = "pagecache")
public class PageCacheEndpoint {

	static final String PAGES = "pages";

	static final String TAGS = "tags";

	static final String ENTITIES = "entities";

	static final String DASHBOARD = "dashboard";

	private final PageCacheStatistics statistics;

	private final @Nullable PageCacheFleet fleet;

	private final PageStore store;

	private final PageCache pageCache;

	private final boolean dashboard;

	/**
	 * Create an endpoint.
	 * @param statistics this instance's figures
	 * @param fleet the fleet's figures, or {@code null} without a shared store
	 * @param store the page store
	 * @param pageCache the page cache, for queries and purges
	 * @param dashboard whether to serve the HTML view
	 */
	public PageCacheEndpoint(PageCacheStatistics statistics, @Nullable PageCacheFleet fleet, PageStore store,
			PageCache pageCache, boolean dashboard) {
		this.statistics = statistics;
		this.fleet = fleet;
		this.store = store;
		this.pageCache = pageCache;
		this.dashboard = dashboard;
	}

	/**
	 * Every figure.
	 * @return the figures
	 */
	@ReadOperation
	public PageCacheDescriptor figures() {
		String state = PageStoreProbe.state(this.store);
		PageCacheFigures figures = this.statistics.figures();
		PageCacheFigures fleetFigures = fleetFigures();
		Set<String> pages = new TreeSet<>();
		figures.pages().forEach((page) -> pages.add(page.page()));
		if (fleetFigures != null) {
			fleetFigures.pages().forEach((page) -> pages.add(page.page()));
		}
		Map<String, @Nullable Long> entries = entries(pages, "UP".equals(state));
		FiguresDescriptor fleet = (fleetFigures != null) ? describe(fleetFigures, entries) : null;
		FiguresDescriptor instance = describe(figures, entries);
		return new PageCacheDescriptor(this.store.getName(), state, instance.totals(), instance.pages(),
				instance.invalidationsByType(), fleet);
	}

	/**
	 * One page's figures, or which pages depend on a tag, an entity or an entity type.
	 * @param kind {@code pages}, {@code tags} or {@code entities}
	 * @param name the page's URL pattern without its leading {@code /}, the tag, or the
	 * entity type and identifier
	 * @return the page's figures or the keys of the pages, {@code null} (404) for an
	 * unknown page or kind
	 */
	@ReadOperation
	public @Nullable OperationResponseBody detail(@Selector String kind,
			@Selector(match = Match.ALL_REMAINING) String[] name) {
		return switch (kind) {
			case PAGES -> page(pageName(name));
			case TAGS -> tagged(List.of(joined(name)));
			case ENTITIES -> tagged(entityTags(name));
			default -> null;
		};
	}

	/**
	 * The figures as an HTML page, when enabled.
	 * @param view {@code dashboard}
	 * @return the page, or {@code null} (404) when the view is not enabled or unknown
	 */
	@ReadOperation(produces = "text/html")
	public @Nullable String view(@Selector String view) {
		if (!this.dashboard || !DASHBOARD.equals(view)) {
			return null;
		}
		return PageCacheDashboard.render(figures());
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
	 */
	@DeleteOperation
	public void purge(@Selector String kind, @Selector(match = Match.ALL_REMAINING) String[] name) {
		switch (kind) {
			case PAGES -> this.pageCache.invalidateRoute(pageName(name));
			case TAGS -> this.pageCache.invalidateTags(nonEmpty(joined(name)));
			case ENTITIES -> this.pageCache.invalidateTags(entityTags(name));
			default -> throw new InvalidEndpointRequestException(
					"Unknown kind '" + kind + "': use " + PAGES + ", " + TAGS + " or " + ENTITIES, "Unknown kind");
		}
	}

	private @Nullable PageDetailDescriptor page(String page) {
		PageFigures figures = this.statistics.figures().page(page);
		PageCacheFigures fleetFigures = fleetFigures();
		PageFigures fleet = (fleetFigures != null) ? fleetFigures.page(page) : null;
		if (figures == null && fleet == null) {
			return null;
		}
		Long entries = entries(Set.of(page), true).get(page);
		return new PageDetailDescriptor(page, describe((figures != null) ? figures : empty(page), entries),
				(fleet != null) ? describe(fleet, entries) : null);
	}

	private TaggedPagesDescriptor tagged(List<String> tags) {
		Set<String> pages = new LinkedHashSet<>();
		for (String tag : tags) {
			pages.addAll(this.pageCache.pagesTagged(tag));
		}
		return new TaggedPagesDescriptor(tags, List.copyOf(pages));
	}

	private @Nullable PageCacheFigures fleetFigures() {
		if (this.fleet == null || !this.fleet.isShared()) {
			return null;
		}
		try {
			return this.fleet.figures();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private Map<String, @Nullable Long> entries(Set<String> pages, boolean reachable) {
		Map<String, @Nullable Long> entries = new HashMap<>();
		boolean answering = reachable;
		for (String page : pages) {
			Long count = null;
			if (answering) {
				try {
					count = this.store.countTagged(PageTags.route(page));
				}
				catch (RuntimeException ex) {
					answering = false;
				}
			}
			entries.put(page, count);
		}
		return entries;
	}

	private static FiguresDescriptor describe(PageCacheFigures figures, Map<String, @Nullable Long> entries) {
		List<PageDescriptor> pages = new ArrayList<>();
		@Nullable Long totalEntries = 0L;
		for (PageFigures page : figures.pages()) {
			Long pageEntries = entries.get(page.page());
			pages.add(describe(page, pageEntries));
			totalEntries = (totalEntries != null && pageEntries != null) ? totalEntries + pageEntries : null;
		}
		PageFigures totals = figures.totals();
		TotalsDescriptor totalsDescriptor = new TotalsDescriptor(totals.hits(), totals.misses(),
				ratio(totals.hitRatio()), totals.stores(), figures.invalidations(), totalEntries, misses(totals),
				totals.bypasses(), millis(totals.savedRenderNanos()));
		List<InvalidationsDescriptor> byType = new ArrayList<>();
		figures.invalidationsByType().forEach((type, count) -> byType.add(new InvalidationsDescriptor(type, count)));
		return new FiguresDescriptor(totalsDescriptor, pages, byType);
	}

	private static PageDescriptor describe(PageFigures page, @Nullable Long entries) {
		return new PageDescriptor(page.page(), page.hits(), page.misses(), ratio(page.hitRatio()), misses(page),
				millis(page.averageRenderNanos()), millis(page.savedRenderNanos()), page.stores(), page.bypasses(),
				entries);
	}

	private static MissesDescriptor misses(PageFigures page) {
		return new MissesDescriptor(page.firstMisses(), page.invalidatedMisses(), page.expiredMisses(),
				page.evictedMisses());
	}

	private static PageFigures empty(String page) {
		return new PageFigures(page, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	}

	private static double ratio(double ratio) {
		return Math.round(ratio * 10_000) / 10_000.0;
	}

	private static double millis(double nanos) {
		return Math.round(nanos / 1_000) / 1_000.0;
	}

	private static String pageName(String[] segments) {
		return "/" + String.join("/", segments);
	}

	private static String joined(String[] segments) {
		return String.join("/", segments);
	}

	private static String nonEmpty(String value) {
		if (value.isEmpty()) {
			throw new InvalidEndpointRequestException("Name a tag", "Missing tag");
		}
		return value;
	}

	private static List<String> entityTags(String[] name) {
		if (name.length == 1) {
			return List.of(name[0], PageTags.anyOf(name[0]));
		}
		if (name.length == 2) {
			return List.of(PageTags.entity(name[0], name[1]));
		}
		throw new InvalidEndpointRequestException("Name an entity type (entities/Post) or an entity (entities/Post/42)",
				"Invalid entity");
	}

	/**
	 * Every figure: this instance's, and the fleet's when the store is shared.
	 *
	 * @param store the store, {@code redis} or {@code memory}
	 * @param state {@code UP} when the store answers, else {@code DOWN}
	 * @param totals this instance's totals
	 * @param pages this instance's figures per page
	 * @param invalidationsByType this instance's invalidations by entity type
	 * @param fleet the figures of every instance sharing the store, or {@code null} when
	 * it is not shared
	 */
	public record PageCacheDescriptor(String store, String state, TotalsDescriptor totals, List<PageDescriptor> pages,
			List<InvalidationsDescriptor> invalidationsByType,
			@Nullable FiguresDescriptor fleet) implements OperationResponseBody {

	}

	/**
	 * Totals, pages and invalidations of the fleet.
	 *
	 * @param totals the totals
	 * @param pages the figures per page
	 * @param invalidationsByType the invalidations by entity type
	 */
	public record FiguresDescriptor(TotalsDescriptor totals, List<PageDescriptor> pages,
			List<InvalidationsDescriptor> invalidationsByType) {

	}

	/**
	 * The totals over all pages.
	 *
	 * @param hits requests served from the store
	 * @param misses requests rendered because the store did not have the page
	 * @param hitRatio hits among hits and misses, 0 to 1
	 * @param stores renders stored
	 * @param invalidations invalidations (each call that invalidates tags, and each
	 * clear)
	 * @param entries pages in the store now, or {@code null} if the store cannot be
	 * reached
	 * @param missesByReason the misses by reason
	 * @param bypasses requests served without the store
	 * @param savedRenderMillis render time the hits saved, estimated as one average
	 * render per hit
	 */
	public record TotalsDescriptor(long hits, long misses, double hitRatio, long stores, long invalidations,
			@Nullable Long entries, MissesDescriptor missesByReason, long bypasses, double savedRenderMillis) {

	}

	/**
	 * The figures of one page, a route named by its URL pattern.
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
	 * @param bypasses requests served without the store
	 * @param entries pages of the route in the store now, or {@code null} if the store
	 * cannot be reached
	 */
	public record PageDescriptor(String page, long hits, long misses, double hitRatio, MissesDescriptor missesByReason,
			double averageRenderMillis, double savedRenderMillis, long stores, long bypasses, @Nullable Long entries) {

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
	 * One page's figures on this instance and in the fleet.
	 *
	 * @param page the URL pattern
	 * @param instance this instance's figures
	 * @param fleet the fleet's figures, or {@code null} when the store is not shared
	 */
	public record PageDetailDescriptor(String page, PageDescriptor instance,
			@Nullable PageDescriptor fleet) implements OperationResponseBody {

	}

	/**
	 * The pages that depend on tags right now.
	 *
	 * @param tags the tags
	 * @param pages the keys of the pages that carry any of them
	 */
	public record TaggedPagesDescriptor(List<String> tags, List<String> pages) implements OperationResponseBody {

	}

}
