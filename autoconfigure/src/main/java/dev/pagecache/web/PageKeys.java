package dev.pagecache.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriUtils;

/**
 * Canonical page keys:
 * {@code GET scheme://host:port/context/path?a=1&b=2 locale=de-DE header=value}, where
 * the method is always {@code GET} (a {@code HEAD} is answered from the {@code GET}
 * entry), scheme, host, port and context path are the request's as the application sees
 * them (a {@code ForwardedHeaderFilter} or Tomcat's {@code RemoteIpValve} may have taken
 * them from forwarded headers, which then change the links a page builds from the
 * request), context path and path percent-encoded so that no path can spell what follows
 * it, the query holds only the parameters the route keys, in name order, the locale is
 * the one the application's {@code LocaleResolver} resolves (left out when it is the
 * JVM's default locale, so that most keys stay plain URLs), and the declared headers
 * follow with their trimmed values. A key longer than the limit keeps a readable prefix
 * and ends with a SHA-256 digest of the whole.
 *
 * @author pagecache
 */
final class PageKeys {

	private static final int DIGEST_PREFIX = 96;

	private static final String DIGEST_MARK = "...#";

	/** The length of a digested key: its start, the mark and a SHA-256 in base64url. */
	private static final int DIGESTED_LENGTH = DIGEST_PREFIX + DIGEST_MARK.length() + 43;

	private final int maxLength;

	PageKeys(int maxLength) {
		this.maxLength = maxLength;
	}

	/**
	 * The canonical path of a request, or {@code null} when its raw URI is not canonical
	 * (matrix parameters, encoded slashes or backslashes, empty or dot segments), in
	 * which case it bypasses.
	 * @param request the request
	 * @return the decoded path within the application, or {@code null}
	 */
	static @Nullable String canonicalPath(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		String raw = uri.substring(Math.min(contextPath.length(), uri.length()));
		if (raw.isEmpty() || raw.charAt(0) != '/' || raw.indexOf(';') >= 0 || raw.indexOf('\\') >= 0
				|| raw.contains("//") || raw.contains("/./") || raw.contains("/../") || raw.endsWith("/.")
				|| raw.endsWith("/..")) {
			return null;
		}
		if (raw.indexOf('%') < 0) {
			return raw;
		}
		String lower = raw.toLowerCase(Locale.ROOT);
		if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%3b") || lower.contains("%25")
				|| lower.contains("%2e")) {
			return null;
		}
		try {
			return UriUtils.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	String key(HttpServletRequest request, PageRoute route, String path, Locale locale) {
		StringBuilder key = new StringBuilder(128).append("GET ")
			.append(request.getScheme())
			.append("://")
			.append(request.getServerName().toLowerCase(Locale.ROOT))
			.append(':')
			.append(request.getServerPort())
			.append(UriUtils.encodePath(request.getContextPath(), StandardCharsets.UTF_8));
		appendPath(key, path);
		appendQuery(key, request, route);
		if (!locale.equals(Locale.getDefault())) {
			key.append(" locale=").append(locale.toLanguageTag());
		}
		for (String header : route.varyHeaders()) {
			key.append(' ').append(header).append('=');
			Enumeration<String> values = request.getHeaders(header);
			boolean first = true;
			while (values.hasMoreElements()) {
				key.append(first ? "" : ",").append(values.nextElement().trim());
				first = false;
			}
		}
		return (key.length() <= this.maxLength) ? key.toString() : digested(key);
	}

	/**
	 * Append a path as {@link UriUtils#encodePath} encodes it, without the copy of its
	 * bytes that {@code encodePath} makes to find that it needs no encoding, which is
	 * what nearly every path needs: this runs on every hit.
	 */
	static void appendPath(StringBuilder key, String path) {
		for (int i = 0; i < path.length(); i++) {
			if (!isPathChar(path.charAt(i))) {
				key.append(UriUtils.encodePath(path, StandardCharsets.UTF_8));
				return;
			}
		}
		key.append(path);
	}

	/** Whether RFC 3986 allows a char as it is in a path: a pchar or {@code /}. */
	private static boolean isPathChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
	}

	private static void appendQuery(StringBuilder key, HttpServletRequest request, PageRoute route) {
		if (request.getQueryString() == null) {
			return;
		}
		char separator = '?';
		if (route.allParams()) {
			for (Map.Entry<String, String[]> param : new TreeMap<>(request.getParameterMap()).entrySet()) {
				separator = appendParam(key, separator, param.getKey(), param.getValue());
			}
			return;
		}
		for (String name : route.keyedParams()) {
			String[] values = request.getParameterValues(name);
			if (values != null) {
				separator = appendParam(key, separator, name, values);
			}
		}
	}

	private static char appendParam(StringBuilder key, char separator, String name, String[] values) {
		for (String value : values) {
			key.append(separator)
				.append(UriUtils.encodeQueryParam(name, StandardCharsets.UTF_8))
				.append('=')
				.append(UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
			separator = '&';
		}
		return separator;
	}

	/**
	 * Whether a key was digested, so that no request can be rebuilt from it.
	 * @param key a key this class made
	 * @return whether it is digested
	 */
	static boolean isDigested(String key) {
		return key.length() == DIGESTED_LENGTH && key.startsWith(DIGEST_MARK, DIGEST_PREFIX);
	}

	private static String digested(StringBuilder key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(key.toString().getBytes(StandardCharsets.UTF_8));
			return key.substring(0, DIGEST_PREFIX) + DIGEST_MARK
					+ Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
