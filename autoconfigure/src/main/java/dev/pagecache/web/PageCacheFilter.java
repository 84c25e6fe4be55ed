package dev.pagecache.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.Deflater;

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

import dev.pagecache.PageTags;
import dev.pagecache.store.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsListener;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
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
 *
 * @author pagecache
 */
public final class PageCacheFilter implements Filter {

	private static final Log logger = LogFactory.getLog(PageCacheFilter.class);

	private final PageStore store;

	private final PageRoutes routes;

	private final CacheabilityRules rules;

	private final PageKeys keys;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final AtomicBoolean storeDown = new AtomicBoolean();

	private final StatisticsListener recorder;

	private Supplier<? extends @Nullable LocaleResolver> localeResolver = () -> null;

	private @Nullable RenderFlights flights;

	private Duration lease = Duration.ZERO;

	/**
	 * The fastest level by default: a miss compresses on the request path, and level 6,
	 * the JDK's default, takes about three times as long for a body some 15% smaller.
	 */
	private int compressionLevel = Deflater.BEST_SPEED;

	/**
	 * Create a filter.
	 * @param store the page store
	 * @param routes the {@code @CachePage} routes
	 * @param rules what may be served and stored
	 * @param maxKeyLength the length past which keys are digested
	 * @param maxRenderTime the longest render whose page may still be stored
	 * @param clock the clock for {@code Age} and stored-at times
	 * @param recorder what page requests are reported to ({@link StatisticsListener#NONE}
	 * for nothing)
	 */
	public PageCacheFilter(PageStore store, PageRoutes routes, CacheabilityRules rules, int maxKeyLength,
			Duration maxRenderTime, Clock clock, StatisticsListener recorder) {
		this.store = store;
		this.routes = routes;
		this.rules = rules;
		this.keys = new PageKeys(maxKeyLength);
		this.maxRenderTime = maxRenderTime;
		this.clock = clock;
		this.recorder = recorder;
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
	public void setSingleFlight(Duration maxWait, Duration lease) {
		this.flights = new RenderFlights(maxWait);
		this.lease = lease;
	}

	/**
	 * Set the gzip level at which a page is compressed, once, when it is stored: hits to
	 * clients that accept gzip are sent these bytes as they are. A higher level makes
	 * stored pages smaller and every miss slower. Defaults to 1, the fastest.
	 * @param compressionLevel from {@link Deflater#BEST_SPEED} (1) to
	 * {@link Deflater#BEST_COMPRESSION} (9)
	 */
	public void setCompressionLevel(int compressionLevel) {
		Assert.isTrue(compressionLevel >= Deflater.BEST_SPEED && compressionLevel <= Deflater.BEST_COMPRESSION,
				"'compressionLevel' must be between 1 and 9");
		this.compressionLevel = compressionLevel;
	}

	/**
	 * Set where the application's {@link LocaleResolver} comes from; the locale it
	 * resolves for a request is part of the request's key. Without one, the locale is the
	 * request's ({@code Accept-Language}), which is what the {@code DispatcherServlet}
	 * falls back to.
	 * @param localeResolver supplies the resolver, or {@code null} if the application
	 * defines none
	 */
	public void setLocaleResolver(Supplier<? extends @Nullable LocaleResolver> localeResolver) {
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
		if (!PageRoutes.isGetOrHead(request.getMethod())) {
			chain.doFilter(request, response);
			return;
		}
		PageRoute route = this.routes.match(request);
		if (route == null) {
			chain.doFilter(request, response);
			return;
		}
		String path = PageKeys.canonicalPath(request);
		if (path == null || this.rules.bypassReason(request) != null) {
			bypass(request, response, chain, route);
			return;
		}
		String key = this.keys.key(request, route, path, locale(request));
		PageLookup lookup = lookup(key);
		if (lookup == null) {
			bypass(request, response, chain, route);
			return;
		}
		PageEntry entry = lookup.entry();
		if (entry != null) {
			long now = this.clock.millis();
			if (!route.isExpired(entry, now)) {
				serve(request, response, route, entry, now, PageResponses.HIT);
				return;
			}
			lookup = new PageLookup(null, lookup.sequence(), lookup.epoch(), MissReason.EXPIRED);
			if (revalidateOrServeStale(request, response, chain, route, key, path, lookup, entry, now)) {
				return;
			}
		}
		if ("HEAD".equals(request.getMethod())) {
			response.setHeader(PageResponses.HEADER, PageResponses.MISS);
			long start = System.nanoTime();
			try {
				chain.doFilter(request, response);
			}
			finally {
				this.recorder.miss(route.name(), missReason(lookup), System.nanoTime() - start);
			}
			return;
		}
		RenderFlights flights = this.flights;
		if (flights == null) {
			render(request, response, chain, route, key, path, lookup, null);
			return;
		}
		RenderFlights.Flight flight = flights.join(key);
		if (!flight.isLeader()) {
			PageEntry rendered = flight.await();
			if (rendered != null) {
				serve(request, response, route, rendered, this.clock.millis(), PageResponses.HIT);
				return;
			}
			render(request, response, chain, route, key, path, lookup, null);
			return;
		}
		PageEntry elsewhere = awaitOtherInstance(key);
		if (elsewhere != null) {
			flight.complete(elsewhere);
			serve(request, response, route, elsewhere, this.clock.millis(), PageResponses.HIT);
			return;
		}
		render(request, response, chain, route, key, path, lookup, flight);
	}

	private void serve(HttpServletRequest request, HttpServletResponse response, PageRoute route, PageEntry entry,
			long now, String result) throws IOException {
		PageResponses.write(request, response, entry, now, result);
		this.recorder.hit(route.name());
	}

	/**
	 * A page past its TTL, kept to be served stale: the first request renders it again,
	 * the others are served the expired page meanwhile. Without single flight, every
	 * request renders.
	 * @param expired the lookup, as a miss because the page expired
	 * @return {@code true} if the request was answered
	 */
	private boolean revalidateOrServeStale(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			PageRoute route, String key, String path, PageLookup expired, PageEntry stale, long now)
			throws IOException, ServletException {
		RenderFlights flights = this.flights;
		if (flights == null || "HEAD".equals(request.getMethod())) {
			return false;
		}
		RenderFlights.Flight flight = flights.join(key);
		if (!flight.isLeader()) {
			serve(request, response, route, stale, now, PageResponses.STALE);
			return true;
		}
		render(request, response, chain, route, key, path, expired, flight);
		return true;
	}

	/**
	 * Take the lease of a page; while another instance holds it, wait (at most the lease)
	 * for its page, and take the lease as soon as it is given back without a page (a
	 * render that was not stored).
	 * @return the page another instance rendered, or {@code null} to render it here
	 */
	private @Nullable PageEntry awaitOtherInstance(String key) {
		if (this.lease.isZero()) {
			return null;
		}
		try {
			if (this.store.lease(key, this.lease)) {
				return null;
			}
			long deadline = System.nanoTime() + this.lease.toNanos();
			long pause = 5;
			while (System.nanoTime() - deadline < 0) {
				Thread.sleep(pause);
				pause = Math.min(pause * 2, 50);
				PageEntry entry = this.store.lookup(key).entry();
				if (entry != null) {
					return entry;
				}
				if (this.store.lease(key, this.lease)) {
					return null;
				}
			}
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (RuntimeException ex) {
			storeFailed(ex);
			return null;
		}
	}

	private void render(HttpServletRequest request, HttpServletResponse response, FilterChain chain, PageRoute route,
			String key, String path, PageLookup lookup, RenderFlights.@Nullable Flight flight)
			throws IOException, ServletException {
		PageEntry stored = null;
		try {
			stored = renderAndStore(request, response, chain, route, key, path, lookup, flight);
		}
		finally {
			if (flight != null) {
				if (stored == null && !this.lease.isZero()) {
					releaseLease(key); // a stored page gave it back with the put
				}
				flight.complete(stored);
			}
		}
	}

	private void releaseLease(String key) {
		try {
			this.store.release(key);
		}
		catch (RuntimeException ex) {
			storeFailed(ex);
		}
	}

	/**
	 * Render a page and store it if it may be stored.
	 * @return the page if the store accepted it
	 */
	private @Nullable PageEntry renderAndStore(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain, PageRoute route, String key, String path, PageLookup lookup,
			RenderFlights.@Nullable Flight flight) throws IOException, ServletException {
		CachingResponseWrapper capturing = new CachingResponseWrapper(response, this.rules.getMaxEntrySize());
		PageRender render = new PageRender(route, key, path, lookup, capturing);
		KeyedRequest keyedRequest = new KeyedRequest(request, route);
		render.bind(keyedRequest);
		try {
			chain.doFilter(keyedRequest, capturing);
		}
		finally {
			render.unbind(keyedRequest);
			if (render.isConfirmed()) {
				this.recorder.miss(route.name(), missReason(lookup), render.elapsedNanos());
			}
		}
		if (!capturing.isCaptured()) {
			capturing.passThrough();
			return null;
		}
		String reason = this.rules.noStoreReason(request, capturing, route);
		if (reason == null && keyedRequest.unkeyedInputRead() != null) {
			reason = "the page read " + keyedRequest.unkeyedInputRead() + ", which is not part of its key";
		}
		if (reason == null && render.elapsedNanos() > this.maxRenderTime.toNanos()) {
			reason = "render took longer than " + this.maxRenderTime;
		}
		if (reason != null) {
			if (logger.isTraceEnabled()) {
				logger.trace("Not storing " + key + ": " + reason);
			}
			capturing.sendCapturedBody();
			return null;
		}
		if (flight != null) {
			flight.land();
		}
		render.addTags(List.of(PageTags.path(render.path())));
		PageEntry entry = PageResponses.entry(capturing, capturing.capturedBody(), capturing.capturedLength(),
				render.tags(), this.clock.millis(), this.compressionLevel);
		boolean stored = store(render, entry);
		if ("GET".equals(request.getMethod()) && PageResponses.acceptsGzip(request)) {
			// the client gets the bytes a hit would send it, compressed once already
			capturing.sendInstead(entry.gzippedBody(), "gzip", entry.gzipEtag());
		}
		else {
			capturing.setHeader(HttpHeaders.ETAG, entry.etag());
			capturing.sendCapturedBody();
		}
		return stored ? entry : null;
	}

	private boolean store(PageRender render, PageEntry entry) {
		try {
			if (this.store.put(render.key(), entry, render.route().storeTtl(), render.lookup())) {
				this.recorder.stored(render.route().name());
				storeUp();
				return true;
			}
			storeUp();
		}
		catch (RuntimeException ex) {
			storeFailed(ex);
		}
		return false;
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

	private PageLookup lookup(String key) {
		try {
			PageLookup lookup = this.store.lookup(key);
			storeUp();
			return lookup;
		}
		catch (RuntimeException ex) {
			storeFailed(ex);
			return null;
		}
	}

	private void bypass(HttpServletRequest request, HttpServletResponse response, FilterChain chain, PageRoute route)
			throws IOException, ServletException {
		response.setHeader(PageResponses.HEADER, PageResponses.BYPASS);
		this.recorder.bypassed(route.name());
		chain.doFilter(request, response);
	}

	private static MissReason missReason(PageLookup lookup) {
		MissReason reason = lookup.missReason();
		return (reason != null) ? reason : MissReason.FIRST;
	}

	private void storeUp() {
		if (this.storeDown.get() && this.storeDown.compareAndSet(true, false)) {
			logger.info("Page store " + this.store.getName() + " is reachable again; caching resumes");
		}
	}

	private void storeFailed(RuntimeException ex) {
		if (this.storeDown.compareAndSet(false, true)) {
			logger.warn("Page store " + this.store.getName() + " failed; serving pages uncached until it recovers: "
					+ ex.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Page store " + this.store.getName() + " still failing", ex);
		}
	}

}
