package dev.pagecache.web;

import java.util.Enumeration;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;

/**
 * Whether a client accepts the gzip encoding of a page, from its {@code Accept-Encoding}
 * headers, parsed in place since it runs on every hit.
 *
 * @author pagecache
 */
final class AcceptEncoding {

	private AcceptEncoding() {
	}

	/**
	 * Whether {@code Accept-Encoding} names {@code gzip} with a non-zero quality.
	 * @param request the request
	 * @return {@code true} if the client accepts gzip
	 */
	static boolean acceptsGzip(HttpServletRequest request) {
		Enumeration<String> values = request.getHeaders(HttpHeaders.ACCEPT_ENCODING);
		while (values.hasMoreElements()) {
			String value = values.nextElement();
			int start = 0;
			while (start < value.length()) {
				int end = value.indexOf(',', start);
				if (end < 0) {
					end = value.length();
				}
				int parameters = value.indexOf(';', start);
				int nameEnd = (parameters >= 0 && parameters < end) ? parameters : end;
				if (isToken(value, start, nameEnd, "gzip")) {
					return nameEnd == end || !isZeroQuality(value, nameEnd + 1, end);
				}
				start = end + 1;
			}
		}
		return false;
	}

	/** Whether the trimmed region equals the token, ignoring case. */
	private static boolean isToken(String value, int start, int end, String token) {
		while (start < end && value.charAt(start) == ' ') {
			start++;
		}
		while (end > start && value.charAt(end - 1) == ' ') {
			end--;
		}
		return end - start == token.length() && value.regionMatches(true, start, token, 0, token.length());
	}

	/**
	 * Whether the parameters hold {@code q=0}, {@code q=0.0}, {@code q=0.00} or
	 * {@code q=0.000}.
	 */
	private static boolean isZeroQuality(String value, int start, int end) {
		int i = skipSpaces(value, start, end);
		if (i + 1 >= end || Character.toLowerCase(value.charAt(i)) != 'q') {
			return false;
		}
		i = skipSpaces(value, i + 1, end);
		if (i >= end || value.charAt(i) != '=') {
			return false;
		}
		i = skipSpaces(value, i + 1, end);
		if (i >= end || value.charAt(i) != '0') {
			return false;
		}
		i++;
		if (i < end && value.charAt(i) == '.') {
			i++;
			while (i < end && value.charAt(i) == '0') {
				i++;
			}
		}
		return skipSpaces(value, i, end) == end;
	}

	private static int skipSpaces(String value, int start, int end) {
		int i = start;
		while (i < end && value.charAt(i) == ' ') {
			i++;
		}
		return i;
	}

}
