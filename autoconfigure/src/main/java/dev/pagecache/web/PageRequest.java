package dev.pagecache.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;

/**
 * A request for the page of a {@code @CachePage} route, resolved once: its route, and
 * either why it bypasses the cache, or its key, canonical path and what the store holds
 * for it, which make it a hit, a stale page or a miss.
 *
 * @author pagecache
 */
final class PageRequest {

	private final HttpServletRequest request;

	private final PageRoute route;

	private final State state;

	private final @Nullable String bypassReason;

	private final @Nullable String path;

	private final @Nullable String key;

	private final @Nullable PageLookup lookup;

	private final @Nullable PageEntry entry;

	private final long lookedUpAt;

	private final long lookupStartedNanos;

	private final boolean beforeSecurity;

	private final boolean refresh;

	private PageRequest(HttpServletRequest request, PageRoute route, State state, @Nullable String bypassReason,
			@Nullable String path, @Nullable String key, @Nullable PageLookup lookup, long lookedUpAt,
			long lookupStartedNanos, boolean beforeSecurity, boolean refresh) {
		this.request = request;
		this.route = route;
		this.state = state;
		this.bypassReason = bypassReason;
		this.path = path;
		this.key = key;
		this.lookup = lookup;
		this.entry = (lookup != null) ? lookup.entry() : null;
		this.lookedUpAt = lookedUpAt;
		this.lookupStartedNanos = lookupStartedNanos;
		this.beforeSecurity = beforeSecurity;
		this.refresh = refresh;
	}

	/**
	 * A request that must not use the cache.
	 * @param request the request
	 * @param route its route
	 * @param reason why it bypasses (for logs)
	 * @return the resolved request
	 */
	static PageRequest bypassed(HttpServletRequest request, PageRoute route, String reason) {
		return new PageRequest(request, route, State.BYPASS, reason, null, null, null, 0, 0, false, false);
	}

	/**
	 * A request whose page was looked up.
	 * @param request the request
	 * @param route its route
	 * @param path its canonical path
	 * @param key its key
	 * @param lookup what the store holds for the key
	 * @param now the current time in epoch milliseconds, to tell a stale page (only read
	 * when the store holds one)
	 * @param lookupStartedNanos when the lookup was sent, in {@link System#nanoTime()}
	 * @param refresh whether the request is a refresh of this instance
	 * @return the resolved request
	 */
	static PageRequest lookedUp(HttpServletRequest request, PageRoute route, String path, String key, PageLookup lookup,
			long now, long lookupStartedNanos, boolean refresh) {
		PageEntry entry = lookup.entry();
		State state = (entry == null) ? State.MISS : route.isExpired(entry, now) ? State.STALE : State.HIT;
		return new PageRequest(request, route, state, null, path, key, lookup, now, lookupStartedNanos, false, refresh);
	}

	/**
	 * The same resolved request, handled at another place in the filter chain: by the
	 * page cache's registration before Spring Security, or by the one after it, which
	 * takes over a request the first deferred without looking it up again.
	 * @param request the request as the filter at that place sees it
	 * @param beforeSecurity whether that place is before Spring Security
	 * @return the resolved request
	 */
	PageRequest at(HttpServletRequest request, boolean beforeSecurity) {
		return new PageRequest(request, this.route, this.state, this.bypassReason, this.path, this.key, this.lookup,
				this.lookedUpAt, this.lookupStartedNanos, beforeSecurity, this.refresh);
	}

	/**
	 * Whether the request is handled before Spring Security: a page it renders is stored
	 * with the headers Security wrote, and marked so.
	 * @return {@code true} before Security
	 */
	boolean isBeforeSecurity() {
		return this.beforeSecurity;
	}

	HttpServletRequest request() {
		return this.request;
	}

	PageRoute route() {
		return this.route;
	}

	State state() {
		return this.state;
	}

	@Nullable String bypassReason() {
		return this.bypassReason;
	}

	/**
	 * Whether the request is a refresh of this instance (refresh-ahead), not a reader's.
	 */
	boolean isRefresh() {
		return this.refresh;
	}

	boolean isHead() {
		return "HEAD".equals(this.request.getMethod());
	}

	/**
	 * The page the store holds, fresh or stale.
	 * @return the page, or {@code null} on a miss or a bypass
	 */
	@Nullable PageEntry entry() {
		return this.entry;
	}

	/**
	 * When the page was looked up.
	 * @return the time in epoch milliseconds; meaningless unless the store held a page
	 */
	long lookedUpAt() {
		return this.lookedUpAt;
	}

	/**
	 * When the page was looked up, to tell whether a render of it landed since.
	 * @return the time the lookup was sent, in {@link System#nanoTime()}
	 */
	long lookupStartedNanos() {
		return this.lookupStartedNanos;
	}

	String key() {
		return require(this.key);
	}

	String path() {
		return require(this.path);
	}

	/**
	 * The lookup a render of this page is stored against: the store's position when the
	 * request looked the page up, with a stale page counted as expired.
	 * @return the lookup, without an entry
	 */
	PageLookup renderLookup() {
		PageLookup lookup = lookedUp();
		return (lookup.entry() != null) ? new PageLookup(null, lookup.sequence(), lookup.epoch(), MissReason.EXPIRED)
				: lookup;
	}

	/**
	 * Why the page was not served from the store, for the statistics.
	 * @return the reason
	 */
	MissReason missReason() {
		PageLookup lookup = lookedUp();
		if (lookup.entry() != null) {
			return MissReason.EXPIRED;
		}
		MissReason reason = lookup.missReason();
		return (reason != null) ? reason : MissReason.FIRST;
	}

	private PageLookup lookedUp() {
		return require(this.lookup);
	}

	private <T> T require(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException(
					"A request that bypasses the cache (" + this.bypassReason + ") has no key, path or lookup");
		}
		return value;
	}

	/**
	 * What the cache does with a page request.
	 */
	enum State {

		/** Not served from the cache nor stored. */
		BYPASS,

		/** Served from the store. */
		HIT,

		/** Past its TTL: served stale while one request renders it again. */
		STALE,

		/** Rendered, and stored if it may be. */
		MISS

	}

}
