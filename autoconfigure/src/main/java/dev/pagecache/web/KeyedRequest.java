package dev.pagecache.web;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.util.UriUtils;

/**
 * The request a handler sees on a miss, so that a stored render is a function of its key
 * (DESIGN S2): only the query parameters that are part of the key, a fixed {@code Accept}
 * unless the route keys it, and a note of the first input outside the key that the
 * application read: a request header the client sent, or the client's address. A render
 * that read one (a {@code Referer} link, a {@code User-Agent} switch, an
 * {@code X-Original-URL}, a "your address" line) is not stored, so an unkeyed input can
 * never reach a page served to someone else.
 *
 * @author pagecache
 */
final class KeyedRequest extends HttpServletRequestWrapper {

	/**
	 * What the handler of a route that does not key {@code Accept} sees instead of the
	 * client's: HTML first, then JSON, then anything, so that views and message
	 * converters pick the representation a browser or an API client expects, and a
	 * crafted {@code Accept} cannot choose the stored {@code Content-Type}.
	 */
	static final String CANONICAL_ACCEPT = "text/html,application/json;q=0.9,*/*;q=0.8";

	/**
	 * Headers whose reading does not make a render personal: what the key already holds
	 * (host), what never reaches a stored page (conditional requests are answered with
	 * 304, a body bypasses), and the connection's own framing.
	 */
	private static final Set<String> UNTRACKED = Set.of("host", "accept", "accept-encoding", "connection",
			"content-length", "content-type", "transfer-encoding", "te", "if-none-match", "if-modified-since",
			"if-match", "if-unmodified-since");

	private final PageRoute route;

	private final boolean acceptKeyed;

	private final @Nullable Map<String, String[]> parameters;

	private final @Nullable String queryString;

	private volatile @Nullable String unkeyedInputRead;

	private volatile boolean rendered;

	KeyedRequest(HttpServletRequest request, PageRoute route) {
		super(request);
		this.route = route;
		this.acceptKeyed = route.varyHeaders().contains("accept");
		if (request.getQueryString() == null || route.allParams()) {
			this.parameters = null;
			this.queryString = request.getQueryString();
			return;
		}
		Map<String, String[]> parameters = new LinkedHashMap<>();
		StringBuilder query = new StringBuilder();
		for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
			if (route.isKeyed(parameter.getKey())) {
				parameters.put(parameter.getKey(), parameter.getValue());
				for (String value : parameter.getValue()) {
					query.append(query.isEmpty() ? "" : "&")
						.append(UriUtils.encodeQueryParam(parameter.getKey(), StandardCharsets.UTF_8))
						.append('=')
						.append(UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
				}
			}
		}
		this.parameters = Collections.unmodifiableMap(parameters);
		this.queryString = query.isEmpty() ? null : query.toString();
	}

	/**
	 * The first input outside the key that the application read: a request header the
	 * client sent, or the client's address.
	 * @return what was read, or {@code null} if the render read nothing outside its key
	 */
	@Nullable String unkeyedInputRead() {
		return this.unkeyedInputRead;
	}

	/**
	 * Called once the response is complete: what is read afterwards (the
	 * {@code DispatcherServlet}'s request-handled event reads the client address) cannot
	 * have changed the page.
	 */
	void rendered() {
		this.rendered = true;
	}

	@Override
	public @Nullable String getHeader(String name) {
		if (isCanonicalAccept(name)) {
			return CANONICAL_ACCEPT;
		}
		String value = super.getHeader(name);
		if (value != null) {
			noteRead(name);
		}
		return value;
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		if (isCanonicalAccept(name)) {
			return Collections.enumeration(Set.of(CANONICAL_ACCEPT));
		}
		Enumeration<String> values = super.getHeaders(name);
		if (values != null && values.hasMoreElements()) {
			noteRead(name);
		}
		return values;
	}

	@Override
	public long getDateHeader(String name) {
		if (super.getHeader(name) != null) {
			noteRead(name);
		}
		return super.getDateHeader(name);
	}

	@Override
	public int getIntHeader(String name) {
		if (super.getHeader(name) != null) {
			noteRead(name);
		}
		return super.getIntHeader(name);
	}

	@Override
	public String getRemoteAddr() {
		noteUnkeyed("the client address");
		return super.getRemoteAddr();
	}

	@Override
	public String getRemoteHost() {
		noteUnkeyed("the client address");
		return super.getRemoteHost();
	}

	private boolean isCanonicalAccept(String name) {
		return !this.acceptKeyed && HttpHeaders.ACCEPT.equalsIgnoreCase(name);
	}

	private void noteRead(String name) {
		String header = name.toLowerCase(Locale.ROOT);
		if (!UNTRACKED.contains(header) && !this.route.varyHeaders().contains(header)) {
			noteUnkeyed("request header " + header);
		}
	}

	private void noteUnkeyed(String input) {
		if (!this.rendered && this.unkeyedInputRead == null) {
			this.unkeyedInputRead = input;
		}
	}

	@Override
	public @Nullable String getParameter(String name) {
		if (this.parameters == null) {
			return super.getParameter(name);
		}
		String[] values = this.parameters.get(name);
		return (values != null && values.length > 0) ? values[0] : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		return (this.parameters != null) ? this.parameters : super.getParameterMap();
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return (this.parameters != null) ? Collections.enumeration(this.parameters.keySet())
				: super.getParameterNames();
	}

	@Override
	public String @Nullable [] getParameterValues(String name) {
		return (this.parameters != null) ? this.parameters.get(name) : super.getParameterValues(name);
	}

	@Override
	public @Nullable String getQueryString() {
		return this.queryString;
	}

	/**
	 * Where a render before Spring Security keys its request: at the page cache's
	 * registration after Security, so that what Security's own filters read (the client
	 * address of an anonymous authentication's details, credential headers) is not taken
	 * for what the page read, and Security sees the client's own request.
	 */
	static final class Slot {

		private final PageRoute route;

		private @Nullable KeyedRequest keyed;

		Slot(PageRoute route) {
			this.route = route;
		}

		/**
		 * Key the request the handler will see.
		 * @param request the request as Security passed it on
		 * @return the keyed request
		 */
		HttpServletRequest key(HttpServletRequest request) {
			KeyedRequest keyed = new KeyedRequest(request, this.route);
			this.keyed = keyed;
			return keyed;
		}

		/**
		 * The keyed request, once Security let the request through.
		 * @return the keyed request, or {@code null} if Security answered it itself
		 */
		@Nullable KeyedRequest keyed() {
			return this.keyed;
		}

	}

}
