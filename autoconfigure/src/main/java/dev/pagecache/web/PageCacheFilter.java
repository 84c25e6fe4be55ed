package dev.pagecache.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsListener;

import org.springframework.web.servlet.LocaleResolver;

/**
 * The servlet filter that serves pages from the {@link PageStore} and stores the pages of
 * {@code @CachePage} handlers.
 * <p>
 * A hit is answered here, without reaching the {@code DispatcherServlet}: one store
 * lookup, then status, headers and body are written. A request that no {@code @CachePage}
 * route can serve passes through untouched, with no lookup. On a miss the request
 * continues with a response that captures the body once the handler is known to carry
 * {@code @CachePage}; when the response is complete and cacheable it is stored, guarded
 * against concurrent invalidations. When the store cannot be reached, requests are served
 * uncached. What happens to each page request (hit, miss and why, store, bypass) goes to
 * a {@link StatisticsListener}, by the route's URL pattern.
 * <p>
 * Each request is resolved once into a {@link PageRequest} (its route, and why it
 * bypasses or its key and lookup) and dispatched to the hit, stale, miss or bypass path;
 * a miss is rendered by a {@link PageRenderer} under {@link SingleFlight}.
 *
 * @author pagecache
 */
public final class PageCacheFilter implements Filter {

	private static final Log logger = LogFactory.getLog(PageCacheFilter.class);

	private final StoreCalls store;

	private final PageRoutes routes;

	private final CacheabilityRules rules;

	private final PageKeys keys;

	private final Clock clock;

	private final StatisticsListener statistics;

	private final PageRenderer renderer;

	private Supplier<? extends @Nullable LocaleResolver> localeResolver = () -> null;

	private SingleFlight flights = SingleFlight.OFF;

	private EdgeHeaders edge = EdgeHeaders.OFF;

	private DemandSampler demand = DemandSampler.OFF;

	private RefreshMarker refreshMarker = RefreshMarker.NONE;

	private boolean placedBeforeSecurity;

	private boolean split;

	/**
	 * Create a filter.
	 * @param store the page store
	 * @param routes the {@code @CachePage} routes
	 * @param rules what may be served and stored
	 * @param maxKeyLength the length past which keys are digested
	 * @param maxRenderTime the longest render whose page may still be stored
	 * @param clock the clock for {@code Age} and stored-at times
	 * @param statistics what page requests are reported to
	 * ({@link StatisticsListener#NONE} for nothing)
	 */
	PageCacheFilter(PageStore store, PageRoutes routes, CacheabilityRules rules, int maxKeyLength,
			Duration maxRenderTime, Clock clock, StatisticsListener statistics) {
		this.store = new StoreCalls(store);
		this.routes = routes;
		this.rules = rules;
		this.keys = new PageKeys(maxKeyLength);
		this.clock = clock;
		this.statistics = statistics;
		this.renderer = new PageRenderer(this.store, rules, maxRenderTime, clock, statistics);
	}

	/**
	 * Let a page be rendered once when many requests miss it at the same time: in this
	 * instance, requests for a page that is being rendered wait for that render, at most
	 * {@code maxWait}, and are served its page if the store accepted it; across the
	 * instances that share the store, the first to miss takes a lease of the page in the
	 * store for {@code lease}, and the others wait, at most as long, for its page to
	 * appear. Off until called.
	 * @param maxWait the longest a request waits for a render in this instance
	 * @param lease how long one instance may render a page before others render it too;
	 * zero for no lease
	 */
	void setSingleFlight(Duration maxWait, Duration lease) {
		this.flights = new SingleFlight(this.store, maxWait, lease);
	}

	/**
	 * Tell shared caches in front of the application which responses they may keep
	 * ({@code pagecache.edge}). Off until called.
	 * @param edge the edge headers
	 */
	void setEdgeHeaders(EdgeHeaders edge) {
		this.edge = edge;
		this.renderer.setEdgeHeaders(edge);
	}

	/**
	 * Count the pages served (hits, misses, stale pages; not bypasses) for the hot list.
	 * Off until called.
	 * @param demand the sampler
	 */
	void setDemand(DemandSampler demand) {
		this.demand = demand;
	}

	/**
	 * Work with refresh-ahead: tell its refreshes from readers' requests (they count
	 * neither as demand nor as hits or misses), let them lead the single flight of the
	 * pages they render, and report each page they store.
	 * @param refresher this instance's refresher
	 */
	void setRefresher(Refresher refresher) {
		this.refreshMarker = refresher.marker();
		this.renderer.setRefreshStored(refresher::stored);
		refresher.useSingleFlight(this.flights);
	}

	/**
	 * Set the gzip level at which a page is compressed, once, when it is stored: hits to
	 * clients that accept gzip are sent these bytes as they are. A higher level makes
	 * stored pages smaller and every miss slower. Defaults to 1, the fastest.
	 * @param compressionLevel from {@link java.util.zip.Deflater#BEST_SPEED} (1) to
	 * {@link java.util.zip.Deflater#BEST_COMPRESSION} (9)
	 */
	void setCompressionLevel(int compressionLevel) {
		this.renderer.setCompressionLevel(compressionLevel);
	}

	/**
	 * Set where the application's {@link LocaleResolver} comes from; the locale it
	 * resolves for a request is part of the request's key. Without one, the locale is the
	 * request's ({@code Accept-Language}), which is what the {@code DispatcherServlet}
	 * falls back to.
	 * @param localeResolver supplies the resolver, or {@code null} if the application
	 * defines none
	 */
	void setLocaleResolver(Supplier<? extends @Nullable LocaleResolver> localeResolver) {
		this.localeResolver = localeResolver;
	}

	/**
	 * The names of the pages this filter serves: the URL patterns of the
	 * {@code @CachePage} routes, known once the application context has created its
	 * singletons.
	 * @return the URL patterns
	 */
	public List<String> getPageNames() {
		return this.routes.getRoutes().stream().map(PageRoute::name).distinct().toList();
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) req;
		HttpServletResponse response = (HttpServletResponse) res;
		if (BeforeSecurityFilter.continueAfterSecurity(this, request, response, chain)) {
			return;
		}
		long ticket = this.edge.enter();
		PageRequest page = resolveOrExit(request, ticket);
		if (page == null) {
			chain.doFilter(request, response);
			return;
		}
		dispatch(this.placedBeforeSecurity ? page.at(request, true) : page, response, chain, ticket, true);
	}

	/**
	 * This filter's part before Spring Security
	 * ({@code pagecache.filter.placement=auto}), a {@link BeforeSecurityFilter}.
	 * @param policy decides which requests may be answered before Security
	 * @return the filter to register before Security
	 */
	Filter beforeSecurity(EarlyHitPolicy policy) {
		this.split = true;
		return new BeforeSecurityFilter(this, policy);
	}

	/**
	 * Say that this filter runs before Spring Security
	 * ({@code pagecache.filter.placement=before-security}): the pages it renders hold the
	 * headers Security wrote, and are marked so.
	 * @param placedBeforeSecurity whether it runs before Security
	 */
	void setPlacedBeforeSecurity(boolean placedBeforeSecurity) {
		this.placedBeforeSecurity = placedBeforeSecurity;
	}

	EdgeHeaders edge() {
		return this.edge;
	}

	/**
	 * Resolve a request, and end its edge ticket unless it is a hit.
	 */
	@Nullable PageRequest resolveOrExit(HttpServletRequest request, long ticket) {
		PageRequest page = null;
		try {
			page = resolve(request);
		}
		finally {
			if (page == null || page.state() != PageRequest.State.HIT) {
				this.edge.exit(ticket);
			}
		}
		return page;
	}

	/**
	 * Serve, render or pass a resolved request.
	 * @param page the request
	 * @param response the response
	 * @param chain the rest of the chain
	 * @param ticket the request's edge ticket
	 * @param exitTicket whether the ticket ends here once a hit is sent
	 * @throws IOException on a write failure
	 * @throws ServletException if the chain fails
	 */
	void dispatch(PageRequest page, HttpServletResponse response, FilterChain chain, long ticket, boolean exitTicket)
			throws IOException, ServletException {
		PageRequest.State state = page.state();
		if (state == PageRequest.State.HIT) {
			serveHit(page, response, ticket, exitTicket);
		}
		else if (state == PageRequest.State.BYPASS) {
			bypass(page, response, chain);
		}
		else if (page.isHead()) {
			// a HEAD is answered from a fresh page only, and its response is never stored
			this.renderer.passHead(page, response, chain);
		}
		else if (state == PageRequest.State.STALE) {
			revalidateOrServeStale(page, response, chain);
		}
		else {
			miss(page, response, chain);
		}
	}

	/**
	 * Resolve a request: {@code null} if no {@code @CachePage} route serves it, else its
	 * route and why it bypasses, or its key and what the store holds for it.
	 */
	private @Nullable PageRequest resolve(HttpServletRequest request) {
		PageRoute route = PageRoutes.isGetOrHead(request.getMethod()) ? this.routes.match(request) : null;
		if (route == null) {
			return null;
		}
		String path = PageKeys.canonicalPath(request);
		String reason = (path != null) ? this.rules.bypassReason(request) : "URI not canonical";
		if (reason == null) {
			reason = route.nonCanonicalArgument(request);
		}
		if (reason != null) {
			return PageRequest.bypassed(request, route, reason);
		}
		String key = this.keys.key(request, route, path, locale(request));
		long lookupStarted = System.nanoTime();
		PageLookup lookup = this.store.lookup(key);
		if (lookup == null) {
			return PageRequest.bypassed(request, route, "store unavailable");
		}
		boolean refresh = this.refreshMarker.isRefresh(request);
		if (!refresh) {
			this.demand.record(key);
		}
		return PageRequest.lookedUp(request, route, path, key, lookup, lookup.isHit() ? this.clock.millis() : 0,
				lookupStarted, refresh);
	}

	/**
	 * Serve a hit, which may be shared with the edge: on the network before a purge that
	 * waits for it is sent.
	 */
	private void serveHit(PageRequest page, HttpServletResponse response, long ticket, boolean exitTicket)
			throws IOException {
		try {
			serve(page, response, page.entry(), page.lookedUpAt(), CacheStatus.HIT);
			if (ticket != 0) {
				response.flushBuffer();
			}
		}
		finally {
			if (exitTicket) {
				this.edge.exit(ticket);
			}
		}
	}

	private void serve(PageRequest page, HttpServletResponse response, PageEntry entry, long now, CacheStatus status)
			throws IOException {
		StoredPageResponse.write(page.request(), response, entry, now, status, edgeMark(page, entry, now, status));
		if (!page.isRefresh()) {
			this.statistics.hit(page.route().name());
		}
	}

	private StoredPageResponse.EdgeMark edgeMark(PageRequest page, PageEntry entry, long now, CacheStatus status) {
		if (!this.edge.isEnabled()) {
			return StoredPageResponse.NO_EDGE;
		}
		if (status != CacheStatus.HIT || page.state() != PageRequest.State.HIT) {
			// stale, or another request's render (which no purge waits for): not shared
			return (response) -> {
				this.edge.notStored(response);
				return false;
			};
		}
		return (response) -> this.edge.stored(page, response, entry, now);
	}

	/**
	 * A page past its TTL, kept to be served stale: the leader renders it again, its
	 * followers are served the expired page meanwhile. Without single flight, every
	 * request renders.
	 */
	private void revalidateOrServeStale(PageRequest page, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		SingleFlight.Flight flight = this.flights.join(page.key(), page.lookupStartedNanos());
		if (flight.isFollower()) {
			serve(page, response, page.entry(), page.lookedUpAt(), CacheStatus.STALE);
			return;
		}
		this.renderer.render(page, response, chain, flight);
	}

	/**
	 * A page the store does not hold: served the page another request renders if single
	 * flight finds one, else rendered here.
	 */
	private void miss(PageRequest page, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		SingleFlight.Flight flight = this.flights.join(page.key(), page.lookupStartedNanos(), page.isRefresh());
		PageEntry rendered = flight.awaitPage();
		if (rendered != null && this.split && page.isBeforeSecurity()
				&& !StoredHeaders.isCapturedBeforeSecurity(rendered)) {
			// rendered after Security, without its headers: served there
			BeforeSecurityFilter.defer(page, 0, response, chain);
			return;
		}
		if (rendered != null) {
			serve(page, response, rendered, this.clock.millis(), CacheStatus.HIT);
			return;
		}
		this.renderer.render(page, response, chain, flight);
	}

	private void bypass(PageRequest page, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (logger.isTraceEnabled()) {
			logger.trace("Bypassing " + page.request().getRequestURI() + ": " + page.bypassReason());
		}
		CacheStatus.BYPASS.setOn(response);
		this.statistics.bypassed(page.route().name());
		chain.doFilter(page.request(), response);
	}

	/**
	 * The locale the application renders a request in, so that it can be part of the key:
	 * the application's {@link LocaleResolver} decides, as the {@code DispatcherServlet}
	 * will.
	 */
	private Locale locale(HttpServletRequest request) {
		LocaleResolver resolver = this.localeResolver.get();
		return (resolver != null) ? resolver.resolveLocale(request) : request.getLocale();
	}

}
