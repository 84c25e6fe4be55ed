package dev.pagecache.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether a request for a cached page may be answered before Spring Security's
 * filter chain ({@code pagecache.filter.placement=auto}): served a stored page that was
 * rendered before Security, or rendered there. A request it does not permit goes down the
 * chain, and the page cache's registration after Security answers it once Security let it
 * through.
 *
 * @author pagecache
 */
@FunctionalInterface
interface EarlyHitPolicy {

	/** Permits nothing: every request passes Security first. */
	EarlyHitPolicy NONE = (request) -> false;

	/**
	 * Whether Security would let a request through as it lets an anonymous request
	 * through, doing nothing to it but write headers.
	 * @param request a GET or HEAD request without credentials
	 * @return {@code true} if it may be answered before Security
	 */
	boolean permits(HttpServletRequest request);

}
