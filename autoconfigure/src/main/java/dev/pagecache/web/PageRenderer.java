package dev.pagecache.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.zip.Deflater;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.StatisticsListener;

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

	/** Under the filter's name, the one category users turn on for the request path. */
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
		KeyedRequest keyed = new KeyedRequest(page.request(), page.route());
		render.bind(keyed);
		try {
			chain.doFilter(keyed, capturing);
		}
		finally {
			render.unbind(keyed);
			if (render.isConfirmed()) {
				this.statistics.miss(page.route().name(), page.missReason(), render.elapsedNanos());
			}
		}
		if (!capturing.completeCapture()) {
			capturing.passThrough();
			return null;
		}
		String reason = noStoreReason(page, capturing, keyed, render);
		if (reason != null) {
			if (logger.isTraceEnabled()) {
				logger.trace("Not storing " + page.key() + ": " + reason);
			}
			capturing.sendCapturedBody();
			return null;
		}
		flight.land();
		render.addTags(List.of(PageTags.path(page.path())));
		PageEntry entry = capturing.toEntry(render.tags(), this.clock.millis(), this.compressionLevel);
		boolean stored = store(page, entry);
		send(page, capturing, entry);
		return stored ? entry : null;
	}

	private @Nullable String noStoreReason(PageRequest page, CachingResponseWrapper capturing, KeyedRequest keyed,
			PageRender render) {
		String reason = this.rules.noStoreReason(page.request(), capturing, page.route());
		if (reason == null && keyed.unkeyedInputRead() != null) {
			reason = "the page read " + keyed.unkeyedInputRead() + ", which is not part of its key";
		}
		if (reason == null && render.elapsedNanos() > this.maxRenderTime.toNanos()) {
			reason = "render took longer than " + this.maxRenderTime;
		}
		return reason;
	}

	private boolean store(PageRequest page, PageEntry entry) {
		boolean stored = this.store.put(page.key(), entry, page.route().storeTtl(), page.renderLookup());
		if (stored) {
			this.statistics.stored(page.route().name());
		}
		return stored;
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
