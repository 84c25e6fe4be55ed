package dev.pagecache.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.pagecache.autoconfigure.PageCacheProperties.TagHeader;
import dev.pagecache.edge.EdgePurger;
import dev.pagecache.store.PageEntry;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.FixedLocaleResolver;

/**
 * The headers that tell shared caches in front of the application
 * ({@code pagecache.edge}) which responses of {@code @CachePage} routes they may keep,
 * and for how long.
 * <p>
 * A page the store holds, on the response that stored it and on hits, gets
 * {@code Cache-Control: public, s-maxage=<remaining TTL>, max-age=0, must-revalidate}:
 * shared caches keep it no longer than the store does, so the store's index knows every
 * page an edge may hold, and browsers revalidate with the ETag. Such a response carries
 * no {@code Age}: an edge that subtracts it from {@code s-maxage} (Varnish, RFC 9111) and
 * one that does not (nginx) then both drop the page when the store does. Every other
 * response of a {@code @CachePage} route is {@code private}, unless the application set a
 * {@code Cache-Control} of its own. A page is shared only when the URL the edge keys it
 * by (path and query as the client sent them) is its key's, which holds no locale, header
 * or digest: anything else the edge could neither tell apart nor purge by URL. Such a key
 * leaves out the locale when it is the JVM's default, which the page of a request in
 * another language is not: unless the application's locale is fixed
 * ({@code spring.web.locale-resolver=fixed}), a shared page says
 * {@code Vary: Accept-Language}, so that an edge never serves it for another
 * {@code Accept-Language} (Varnish keeps a copy per value; the shipped nginx
 * configuration keeps none).
 * <p>
 * With a tag header, a stored page carries the {@linkplain EdgePurger.Purge#token tokens}
 * of its tags and of {@link EdgePurger.Purge#ALL_PAGES_TAG}, stored with the page as one
 * of its headers (so that a hit replays it without hashing anything). A page whose tokens
 * do not fit in the edge's documented limit gets none and carries the store tag
 * {@link EdgePurger.Purge#PURGED_BY_URL_TAG} instead: invalidations purge it by URL.
 *
 * @author pagecache
 */
final class EdgeHeaders {

	/** Edge headers off: browsers revalidate, shared caches are told nothing. */
	static final EdgeHeaders OFF = new EdgeHeaders(false, TagHeader.NONE, new InFlightResponses(), () -> false);

	/** What a response that no shared cache may keep gets, browsers revalidating. */
	static final String PRIVATE = "private, " + Revalidation.CACHE_CONTROL;

	private static final int MIN_SHARED_SECONDS = 1;

	private final boolean enabled;

	private final TagHeader tagHeader;

	private final InFlightResponses inFlight;

	private final BooleanSupplier localeVaries;

	/**
	 * Create the edge headers.
	 * @param enabled whether shared caches may keep stored pages
	 * @param tagHeader the tag header
	 * @param inFlight the shared responses on their way
	 * @param localeVaries whether the locale of a request may depend on its
	 * {@code Accept-Language}: then a shared page says {@code Vary: Accept-Language}
	 */
	EdgeHeaders(boolean enabled, TagHeader tagHeader, InFlightResponses inFlight, BooleanSupplier localeVaries) {
		this.enabled = enabled;
		this.tagHeader = tagHeader;
		this.inFlight = inFlight;
		this.localeVaries = localeVaries;
	}

	/**
	 * Whether the locale an application's resolver gives a request may depend on its
	 * {@code Accept-Language}: unless it is a {@link FixedLocaleResolver}
	 * ({@code spring.web.locale-resolver=fixed}). Without a resolver, the request's
	 * locale is its {@code Accept-Language}.
	 * @param resolver the application's resolver, or {@code null}
	 * @return {@code true} if a page may differ by {@code Accept-Language}
	 */
	static boolean localeVaries(@Nullable LocaleResolver resolver) {
		return !(resolver instanceof FixedLocaleResolver);
	}

	boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * A response that may be shared begins: before the lookup of a hit, before the store
	 * of a render. Purges wait for it until {@link #exit(long)}.
	 * @return its ticket, {@code 0} when the edge is off
	 */
	long enter() {
		return this.enabled ? this.inFlight.enter() : 0;
	}

	/**
	 * A response that began with {@link #enter()} is on the network, or is not shared.
	 * @param ticket its ticket
	 */
	void exit(long ticket) {
		if (ticket != 0) {
			this.inFlight.exit(ticket);
		}
	}

	/**
	 * The {@code Cache-Control} of responses of {@code @CachePage} routes that are not
	 * rendered for the store (a bypass, a {@code HEAD}), unless the application sets its
	 * own.
	 * @return the value
	 */
	String unsharedCacheControl() {
		return this.enabled ? PRIVATE : Revalidation.CACHE_CONTROL;
	}

	/**
	 * The entry to store for a rendered page: with its tag header, or, when the tokens do
	 * not fit, with the tag of pages purged by URL; and with the store tag of every page
	 * an edge may hold, {@link EdgePurger.Purge#ALL_PAGES_TAG}, by which a purge of every
	 * page finds their URLs.
	 * @param entry the rendered page
	 * @return the entry to store
	 */
	PageEntry withTagHeader(PageEntry entry) {
		if (!this.enabled) {
			return entry;
		}
		Set<String> tags = new LinkedHashSet<>(entry.tags());
		tags.add(EdgePurger.Purge.ALL_PAGES_TAG);
		List<PageEntry.Header> headers = new ArrayList<>(entry.headers());
		if (this.tagHeader != TagHeader.NONE) {
			String value = tagHeaderValue(entry.tags(), this.tagHeader);
			if (value != null) {
				headers.add(new PageEntry.Header(this.tagHeader.headerName(), value));
			}
			else {
				tags.add(EdgePurger.Purge.PURGED_BY_URL_TAG);
			}
		}
		return new PageEntry(entry.status(), headers, entry.gzippedBody(), entry.identityLength(), entry.etag(),
				entry.storedAt(), tags);
	}

	/**
	 * The value of the tag header for a page's tags: the token of every page first, then
	 * those of the tags, in the header's separator.
	 * @param tags the page's tags
	 * @param header the tag header
	 * @return the value, or {@code null} if it would be longer than the edge accepts
	 */
	static @Nullable String tagHeaderValue(Set<String> tags, TagHeader header) {
		Set<String> tokens = new LinkedHashSet<>();
		tokens.add(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG));
		for (String tag : tags) {
			tokens.add(EdgePurger.Purge.token(tag));
		}
		String value = String.join(header.separator(), tokens);
		return (value.length() <= header.maxValueLength()) ? value : null;
	}

	/**
	 * Mark the response of a page the store holds (on the response that stored it, and on
	 * hits) as shared-cacheable until the page leaves the store, with its tag header;
	 * {@code private} when it has too little time left or its URL is not its key's. Call
	 * before the body is written.
	 * @param page the request
	 * @param response the response
	 * @param entry the page the store holds
	 * @param now the current time in epoch milliseconds
	 * @return whether the response was marked shared (and then carries no {@code Age})
	 */
	boolean stored(PageRequest page, HttpServletResponse response, PageEntry entry, long now) {
		if (!this.enabled) {
			return false;
		}
		long remaining = (page.route().ttl().toMillis() - (now - entry.storedAt())) / 1000;
		if (remaining < MIN_SHARED_SECONDS || !urlIsKey(page.request(), page.key())) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, PRIVATE);
			return false;
		}
		response.setHeader(HttpHeaders.CACHE_CONTROL, "public, s-maxage=" + remaining + ", max-age=0, must-revalidate");
		if (this.localeVaries.getAsBoolean()) {
			addVary(response, HttpHeaders.ACCEPT_LANGUAGE);
		}
		if (this.tagHeader != TagHeader.NONE && !response.containsHeader(this.tagHeader.headerName())) {
			for (PageEntry.Header header : entry.headers()) {
				if (header.name().equals(this.tagHeader.headerName())) {
					response.setHeader(header.name(), header.value());
				}
			}
		}
		return true;
	}

	/**
	 * Name a request header in the response's {@code Vary}, after those it names.
	 */
	private static void addVary(HttpServletResponse response, String header) {
		Collection<String> vary = response.getHeaders(HttpHeaders.VARY);
		for (String value : vary) {
			for (String name : value.split(",")) {
				if (name.trim().equalsIgnoreCase(header) || name.trim().equals("*")) {
					return;
				}
			}
		}
		response.setHeader(HttpHeaders.VARY, vary.isEmpty() ? header : String.join(", ", vary) + ", " + header);
	}

	/**
	 * Keep shared caches off a rendered page that was not stored: {@code private}, unless
	 * the application set a {@code Cache-Control} of its own. Does nothing once the
	 * response is committed (its {@code Cache-Control} went out as it was).
	 * @param response the response
	 */
	void notStored(HttpServletResponse response) {
		if (!this.enabled || response.isCommitted()) {
			return;
		}
		String cacheControl = response.getHeader(HttpHeaders.CACHE_CONTROL);
		if (cacheControl == null || cacheControl.equals(Revalidation.CACHE_CONTROL)) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, PRIVATE);
		}
	}

	/**
	 * Whether the URL a shared cache keys a request by, its path and query as sent, is
	 * the one its page key holds, and the key holds nothing else (no locale, no header,
	 * no digest): then the edge holds the page under the URL the key names, and a purge
	 * by URL reaches it.
	 * @param request the request
	 * @param key its page key ({@code GET scheme://host:port/path?query})
	 * @return {@code true} if the edge may hold the page
	 */
	static boolean urlIsKey(HttpServletRequest request, String key) {
		int start = key.indexOf('/', key.indexOf("://") + 3);
		if (start < 0 || key.indexOf(' ', 4) >= 0 || key.contains("...#")) {
			return false;
		}
		String uri = request.getRequestURI();
		String query = request.getQueryString();
		int length = uri.length() + ((query != null) ? query.length() + 1 : 0);
		return key.length() - start == length && key.startsWith(uri, start)
				&& (query == null || (key.charAt(start + uri.length()) == '?'
						&& key.regionMatches(start + uri.length() + 1, query, 0, query.length())));
	}

}
