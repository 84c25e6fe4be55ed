package dev.pagecache.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.Deflater;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

/**
 * Renders the page of a miss through the rest of the filter chain, with a request that
 * shows the handler only its keyed inputs and a response that captures the body once the
 * handler is known to carry {@code @CachePage}; then stores the page if it may be stored
 * (DESIGN section 6), guarded against invalidations that raced the render (F2), and sends
 * it.
 *
 * @author pagecache
 */
final class PageRenderer {

	/**
	 * Under the filter's name, the one category users turn on for the request path: at
	 * debug level it says why each page that was not stored was not.
	 */
	private static final Log logger = LogFactory.getLog(PageCacheFilter.class);

	private final StoreCalls store;

	private final CacheabilityRules rules;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final StatisticsListener statistics;

	/**
	 * The fastest level by default: a miss compresses on the request path, and level 6,
	 * the JDK's default, takes about three times as long for a body some 15% smaller.
	 */
	private int compressionLevel = Deflater.BEST_SPEED;

	private EdgeHeaders edge = EdgeHeaders.OFF;

	private Consumer<String> refreshStored = (key) -> {
	};

	PageRenderer(StoreCalls store, CacheabilityRules rules, Duration maxRenderTime, Clock clock,
			StatisticsListener statistics) {
		this.store = store;
		this.rules = rules;
		this.maxRenderTime = maxRenderTime;
		this.clock = clock;
		this.statistics = statistics;
	}

	void setCompressionLevel(int compressionLevel) {
		Assert.isTrue(compressionLevel >= Deflater.BEST_SPEED && compressionLevel <= Deflater.BEST_COMPRESSION,
				"'compressionLevel' must be between 1 and 9");
		this.compressionLevel = compressionLevel;
	}

	/**
	 * Tell refresh-ahead about each page a refresh rendered and stored.
	 * @param refreshStored receives the page's key, on the refresh's thread
	 */
	void setRefreshStored(Consumer<String> refreshStored) {
		this.refreshStored = refreshStored;
	}

	void setEdgeHeaders(EdgeHeaders edge) {
		this.edge = edge;
	}

	/**
	 * Render a page, store it if it may be stored, and complete the request's flight with
	 * the page if the store accepted it.
	 * @param page the request
	 * @param response the response
	 * @param chain the rest of the chain, which renders
	 * @param flight the request's part in the render of the page
	 * @throws IOException on a write failure
	 * @throws ServletException if the chain fails
	 */
	void render(PageRequest page, HttpServletResponse response, FilterChain chain, SingleFlight.Flight flight)
			throws IOException, ServletException {
		PageEntry stored = null;
		try {
			stored = renderAndStore(page, response, chain, flight);
			if (stored != null && page.isRefresh()) {
				this.refreshStored.accept(page.key());
			}
		}
		finally {
			flight.complete(stored);
		}
	}

	/**
	 * Pass a {@code HEAD} request that missed through: it is answered by the handler and
	 * never stored.
	 * @param page the request
	 * @param response the response
	 * @param chain the rest of the chain
	 * @throws IOException on a write failure
	 * @throws ServletException if the chain fails
	 */
	void passHead(PageRequest page, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		CacheStatus.MISS.setOn(response);
		long start = System.nanoTime();
		try {
			chain.doFilter(page.request(), response);
		}
		finally {
			this.statistics.miss(page.route().name(), page.missReason(), System.nanoTime() - start);
		}
	}

	/**
	 * @return the page if the store accepted it
	 */
	private @Nullable PageEntry renderAndStore(PageRequest page, HttpServletResponse response, FilterChain chain,
			SingleFlight.Flight flight) throws IOException, ServletException {
		CachingResponseWrapper capturing = new CachingResponseWrapper(response, this.rules.getMaxEntrySize());
		PageRender render = new PageRender(page, capturing);
		KeyedRequest.Slot slot = BeforeSecurityFilter.keyingSlot(page);
		HttpServletRequest request = (slot != null) ? page.request() : new KeyedRequest(page.request(), page.route());
		render.bind(request);
		try {
			chain.doFilter(request, capturing);
		}
		finally {
			render.unbind(request);
			// a refresh's render is no reader's miss
			if (render.isConfirmed() && !page.isRefresh()) {
				this.statistics.miss(page.route().name(), page.missReason(), render.elapsedNanos());
			}
		}
		if (!capturing.completeCapture()) {
			this.edge.notStored(capturing);
			capturing.passThrough();
			notStored(page, render.isConfirmed() ? capturing.notCapturedReason() : null);
			return null;
		}
		NotStored notStored = noStoreReason(page, capturing, (slot != null) ? slot.keyed() : (KeyedRequest) request,
				render);
		if (notStored != null) {
			notStored(page, notStored);
			this.edge.notStored(capturing);
			capturing.sendCapturedBody();
			return null;
		}
		flight.land();
		render.addTags(List.of(PageTags.path(page.path())));
		PageEntry entry = this.edge
			.withTagHeader(capturing.toEntry(render.tags(), this.clock.millis(), this.compressionLevel));
		if (page.isBeforeSecurity()) {
			entry = StoredHeaders.markCapturedBeforeSecurity(entry);
		}
		return storeAndSend(page, capturing, entry);
	}

	/**
	 * Store the page and send it, shared with the edge if it was stored (and then on the
	 * network before a purge that waits for it is sent).
	 * @return the page if the store accepted it
	 */
	private @Nullable PageEntry storeAndSend(PageRequest page, CachingResponseWrapper capturing, PageEntry entry)
			throws IOException {
		long ticket = this.edge.enter();
		try {
			boolean stored = store(page, entry);
			boolean shared = stored && this.edge.stored(page, capturing, entry, this.clock.millis());
			if (!stored) {
				this.edge.notStored(capturing);
			}
			send(page, capturing, entry);
			if (shared) {
				capturing.flushBuffer();
			}
			return stored ? entry : null;
		}
		finally {
			this.edge.exit(ticket);
		}
	}

	private @Nullable NotStored noStoreReason(PageRequest page, CachingResponseWrapper capturing,
			@Nullable KeyedRequest keyed, PageRender render) {
		NotStored reason = this.rules.noStoreReason(page.request(), capturing, page.route());
		if (keyed == null) {
			return NotStored.of(NotStoredReason.UNKEYED_INPUT, "Spring Security answered the request itself");
		}
		if (reason == null && keyed.unkeyedInputRead() != null) {
			reason = NotStored.of(NotStoredReason.UNKEYED_INPUT, "the page read " + keyed.unkeyedInputRead()
					+ ", which is not part of its key (name a header that changes the page in varyByHeaders)");
		}
		if (reason == null && render.elapsedNanos() > this.maxRenderTime.toNanos()) {
			reason = NotStored.of(NotStoredReason.SLOW_RENDER,
					"the render took longer than pagecache.max-render-time (" + this.maxRenderTime + ")");
		}
		return reason;
	}

	private boolean store(PageRequest page, PageEntry entry) {
		boolean stored = this.store.put(page.key(), entry, page.route().storeTtl(), page.renderLookup());
		if (stored) {
			this.statistics.stored(page.route().name());
		}
		else if (this.store.isDown()) {
			notStored(page, NotStored.of(NotStoredReason.STORE_UNAVAILABLE, "the store could not be reached"));
		}
		else {
			notStored(page, NotStored.of(NotStoredReason.REFUSED, "the store refused it (a tag of the page was "
					+ "invalidated while it rendered, or its route is full)"));
		}
		return stored;
	}

	/**
	 * Count a page that was rendered and not stored, and say why in one line at debug
	 * level.
	 */
	private void notStored(PageRequest page, @Nullable NotStored notStored) {
		if (notStored == null) {
			return;
		}
		this.statistics.notStored(page.route().name(), notStored.reason());
		if (logger.isDebugEnabled()) {
			logger.debug("Not storing " + page.key() + " of " + page.route().name() + " ("
					+ notStored.reason().tagValue() + "): " + notStored.detail());
		}
	}

	/**
	 * Send the page: a client that accepts gzip gets the bytes a hit would send it,
	 * compressed once already.
	 */
	private static void send(PageRequest page, CachingResponseWrapper capturing, PageEntry entry) throws IOException {
		if ("GET".equals(page.request().getMethod()) && AcceptEncoding.acceptsGzip(page.request())) {
			capturing.sendInstead(entry.gzippedBody(), "gzip", entry.gzipEtag());
		}
		else {
			capturing.setHeader(HttpHeaders.ETAG, entry.etag());
			capturing.sendCapturedBody();
		}
	}

}
