package dev.pagecache.sample;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses cross-site requests to the endpoints it guards, where a CSRF token is not used
 * (the public comment form, whose page must stay cacheable and so cannot carry a
 * per-session token).
 * <p>
 * Browsers say where a request comes from. {@code Sec-Fetch-Site} (every current browser)
 * must be {@code same-origin} (or {@code none}, a request the user made directly);
 * without it, an {@code Origin} header must name this host. A request with neither header
 * does not come from a browser, where CSRF happens, and passes. The same rules as Go's
 * {@code net/http.CrossOriginProtection}.
 *
 * @author pagecache
 */
class CrossSitePostFilter extends OncePerRequestFilter {

	private final RequestMatcher guarded;

	CrossSitePostFilter(RequestMatcher guarded) {
		this.guarded = guarded;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.guarded.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isCrossSite(request)) {
			response.sendError(HttpStatus.FORBIDDEN.value(), "Cross-site form posts are refused");
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean isCrossSite(HttpServletRequest request) {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		if (fetchSite != null) {
			return !fetchSite.equalsIgnoreCase("same-origin") && !fetchSite.equalsIgnoreCase("none");
		}
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin == null) {
			return false;
		}
		String host = request.getHeader(HttpHeaders.HOST);
		return host == null || !host.equalsIgnoreCase(authorityOf(origin));
	}

	private static String authorityOf(String origin) {
		try {
			String authority = URI.create(origin).getRawAuthority();
			return (authority != null) ? authority : "";
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
	}

}
