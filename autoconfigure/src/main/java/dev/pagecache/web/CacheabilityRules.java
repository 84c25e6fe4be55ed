package dev.pagecache.web;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.StatisticsListener.NotStoredReason;

import org.springframework.http.HttpHeaders;
import org.springframework.util.PatternMatchUtils;

/**
 * Which requests may be served from the cache and which responses may be stored (DESIGN
 * S1 and section 6). A request carries credentials when it has an {@code Authorization}
 * or {@code Proxy-Authorization} header, a client certificate, one of the configured
 * credential headers, or any cookie that is not on the ignore list. Such a request is
 * never served from the cache nor stored. Neither is a request for a host outside the
 * allowed hosts, when the application names them: every {@code Host} value is a key of
 * its own, and a client may send any.
 *
 * @author pagecache
 */
final class CacheabilityRules {

	private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final Set<Integer> cacheableStatuses;

	private final long maxEntrySize;

	private final List<String> credentialHeaders;

	private final String[] ignoredCookies;

	private final AllowedHosts allowedHosts;

	/**
	 * Create the rules.
	 * @param cacheableStatuses the response statuses that may be stored
	 * @param maxEntrySize the largest body, in bytes, that may be stored
	 * @param credentialHeaders request headers that carry credentials besides
	 * {@code Authorization}
	 * @param ignoredCookies names (with {@code *} wildcards) of cookies that are not
	 * credentials
	 * @param allowedHosts the hosts whose requests may use the cache (see
	 * {@link AllowedHosts#of}); empty for any host
	 */
	public CacheabilityRules(Collection<Integer> cacheableStatuses, long maxEntrySize,
			Collection<String> credentialHeaders, Collection<String> ignoredCookies, Collection<String> allowedHosts) {
		this.cacheableStatuses = Set.copyOf(cacheableStatuses);
		this.maxEntrySize = maxEntrySize;
		this.credentialHeaders = List.copyOf(credentialHeaders);
		this.ignoredCookies = ignoredCookies.toArray(String[]::new);
		this.allowedHosts = AllowedHosts.of(allowedHosts);
	}

	long getMaxEntrySize() {
		return this.maxEntrySize;
	}

	/**
	 * Why a request must bypass the cache, or {@code null} when it may use it.
	 * @param request a GET or HEAD request
	 * @return the reason, or {@code null}
	 */
	@Nullable String bypassReason(HttpServletRequest request) {
		String hostRefusal = this.allowedHosts.refusal(request);
		if (hostRefusal != null) {
			return hostRefusal;
		}
		if (request.getHeader(HttpHeaders.AUTHORIZATION) != null
				|| request.getHeader(HttpHeaders.PROXY_AUTHORIZATION) != null) {
			return "authorization";
		}
		for (String header : this.credentialHeaders) {
			if (request.getHeader(header) != null) {
				return "credential header";
			}
		}
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (!PatternMatchUtils.simpleMatch(this.ignoredCookies, cookie.getName())) {
					return "cookie";
				}
			}
		}
		if (request.getAttribute(CERTIFICATE_ATTRIBUTE) != null) {
			return "client certificate";
		}
		if (request.getHeader(HttpHeaders.RANGE) != null) {
			return "range";
		}
		if (request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			return "request body";
		}
		return null;
	}

	/**
	 * Why a completed response must not be stored, or {@code null} when it may be.
	 * @param request the request
	 * @param response the response, not yet committed
	 * @param route the page's route
	 * @return the reason, or {@code null}
	 */
	@Nullable NotStored noStoreReason(HttpServletRequest request, HttpServletResponse response, PageRoute route) {
		if (!this.cacheableStatuses.contains(response.getStatus())) {
			return NotStored.of(NotStoredReason.STATUS, "status " + response.getStatus()
					+ " is not one of pagecache.cacheable-statuses " + this.cacheableStatuses);
		}
		if (request.isAsyncStarted()) {
			return NotStored.of(NotStoredReason.ASYNC, "the request went async");
		}
		if (response.containsHeader(HttpHeaders.SET_COOKIE)) {
			return NotStored.of(NotStoredReason.COOKIE, "the response sets a cookie");
		}
		if (request.getSession(false) != null) {
			return NotStored.of(NotStoredReason.SESSION, "the render created an HTTP session");
		}
		if (response.containsHeader(HttpHeaders.CONTENT_ENCODING)) {
			return NotStored.of(NotStoredReason.CONTENT_ENCODING, "the application encoded the body already");
		}
		for (String cacheControl : response.getHeaders(HttpHeaders.CACHE_CONTROL)) {
			String value = cacheControl.toLowerCase(Locale.ROOT);
			if (value.contains("private") || value.contains("no-store")) {
				return NotStored.of(NotStoredReason.CACHE_CONTROL, "Cache-Control: " + cacheControl);
			}
		}
		return noStoreReasonOfHeaders(response, route);
	}

	private static @Nullable NotStored noStoreReasonOfHeaders(HttpServletResponse response, PageRoute route) {
		for (String vary : response.getHeaders(HttpHeaders.VARY)) {
			for (String header : vary.split(",")) {
				String name = header.trim().toLowerCase(Locale.ROOT);
				if (!name.isEmpty() && !name.equals("accept-encoding") && !route.varyHeaders().contains(name)) {
					return NotStored.of(NotStoredReason.VARY,
							"Vary names " + name + ", which is not in the route's varyByHeaders");
				}
			}
		}
		for (String policy : response.getHeaders("Content-Security-Policy")) {
			if (policy.contains("'nonce-")) {
				return NotStored.of(NotStoredReason.CSP_NONCE, "its Content-Security-Policy carries a nonce");
			}
		}
		return null;
	}

}
