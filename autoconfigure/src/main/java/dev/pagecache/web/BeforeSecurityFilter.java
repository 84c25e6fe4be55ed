package dev.pagecache.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;

/**
 * The page cache filter's registration just before Spring Security's filter chain
 * ({@code pagecache.filter.placement=auto}). It resolves each request once (route, key,
 * lookup) and answers there only what its {@link EarlyHitPolicy} permits: a hit or stale
 * page only if it was rendered before Security (it then holds the headers Security
 * wrote), a miss by rendering it through Security's chain, so that the page it stores
 * holds them too. Everything else (a request the policy does not permit, a page rendered
 * after Security, a bypass, a {@code HEAD} that missed) goes down the chain resolved, in
 * a request attribute, and the {@link PageCacheFilter}'s registration after Security
 * takes it over once Security let it through, without a second lookup.
 *
 * @author pagecache
 */
final class BeforeSecurityFilter implements Filter {

	/** The request attribute that carries a request resolved before Spring Security. */
	private static final String ATTRIBUTE = BeforeSecurityFilter.class.getName() + ".resolved";

	private final PageCacheFilter filter;

	private final EarlyHitPolicy policy;

	BeforeSecurityFilter(PageCacheFilter filter, EarlyHitPolicy policy) {
		this.filter = filter;
		this.policy = policy;
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) req;
		HttpServletResponse response = (HttpServletResponse) res;
		EdgeHeaders edge = this.filter.edge();
		long ticket = edge.enter();
		PageRequest page = this.filter.resolveOrExit(request, ticket);
		if (page == null) {
			chain.doFilter(request, response);
			return;
		}
		if (isServableBeforeSecurity(page) && this.policy.permits(request)) {
			if (page.state() == PageRequest.State.HIT) {
				// served from the store: no render passes Security to be keyed after it
				this.filter.dispatch(page.at(request, true), response, chain, ticket, true);
				return;
			}
			request.setAttribute(ATTRIBUTE, new KeyedRequest.Slot(page.route()));
			try {
				this.filter.dispatch(page.at(request, true), response, chain, ticket, true);
			}
			finally {
				request.removeAttribute(ATTRIBUTE);
			}
			return;
		}
		boolean hit = page.state() == PageRequest.State.HIT;
		try {
			defer(page, hit ? ticket : 0, response, chain);
		}
		finally {
			if (hit) {
				edge.exit(ticket);
			}
		}
	}

	/**
	 * Whether a request could be answered before Security, if Security permits it: a page
	 * to serve must have been rendered before Security; a {@code HEAD} that missed and a
	 * bypass are left to the registration after Security.
	 */
	private static boolean isServableBeforeSecurity(PageRequest page) {
		PageEntry entry = page.entry();
		return switch (page.state()) {
			case HIT -> entry != null && StoredHeaders.isCapturedBeforeSecurity(entry);
			case STALE -> entry != null && StoredHeaders.isCapturedBeforeSecurity(entry) && !page.isHead();
			case MISS -> !page.isHead();
			case BYPASS -> false;
		};
	}

	/**
	 * Where a render of a request answered before Security keys it: after Security.
	 * @param page the request being rendered
	 * @return the slot, or {@code null} if the request is keyed where it is rendered
	 */
	static KeyedRequest.@Nullable Slot keyingSlot(PageRequest page) {
		return (page.isBeforeSecurity() && page.request().getAttribute(ATTRIBUTE) instanceof KeyedRequest.Slot slot)
				? slot : null;
	}

	/**
	 * Let a resolved request pass Spring Security: the registration after it takes it
	 * over, without a second lookup.
	 * @param page the resolved request
	 * @param ticket its edge ticket if it is a hit (ended by the caller), else 0
	 * @param response the response
	 * @param chain the rest of the chain, Security's first
	 * @throws IOException on a write failure
	 * @throws ServletException if the chain fails
	 */
	static void defer(PageRequest page, long ticket, HttpServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = page.request();
		request.setAttribute(ATTRIBUTE, new Deferred(page, ticket));
		try {
			chain.doFilter(request, response);
		}
		finally {
			request.removeAttribute(ATTRIBUTE);
		}
	}

	/**
	 * Continue, after Security, a request this registration handled: pass one it answers
	 * (Security's chain is rendering it), or take over one it deferred.
	 * @param filter the page cache filter after Security
	 * @param request the request as Security passed it on
	 * @param response the response
	 * @param chain the rest of the chain
	 * @return {@code false} if this registration did not handle the request
	 * @throws IOException on a write failure
	 * @throws ServletException if the chain fails
	 */
	static boolean continueAfterSecurity(PageCacheFilter filter, HttpServletRequest request,
			HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
		Object handled = request.getAttribute(ATTRIBUTE);
		if (handled instanceof KeyedRequest.Slot slot) {
			// answered before Security, which lets a render through: keyed from here
			chain.doFilter(slot.key(request), response);
			return true;
		}
		if (handled instanceof Deferred deferred) {
			request.removeAttribute(ATTRIBUTE);
			filter.dispatch(deferred.page().at(request, false), response, chain, deferred.ticket(), false);
			return true;
		}
		return false;
	}

	/**
	 * A request resolved before Security, and its edge ticket if it is a hit.
	 */
	private record Deferred(PageRequest page, long ticket) {
	}

}
