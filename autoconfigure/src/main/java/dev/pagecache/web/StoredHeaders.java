package dev.pagecache.web;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.store.PageEntry;

import org.springframework.http.HttpHeaders;

/**
 * The headers of a rendered page that are stored with it and replayed on every hit: all
 * but those that belong to one response (its date, length, cookies, encoding, ETag and
 * cache status, which a hit sets itself) or to one connection. They include the
 * {@code Content-Language} that Spring MVC sets through
 * {@link jakarta.servlet.ServletResponse#setLocale}, which the servlet container writes
 * only when it sends the response.
 *
 * @author pagecache
 */
final class StoredHeaders {

	private static final Set<String> NOT_STORED = Set.of("set-cookie", "date", "content-length", "transfer-encoding",
			"connection", "keep-alive", "age", "etag", "content-encoding", "x-page-cache", "expires", "pragma",
			"content-type", "upgrade", "trailer", "proxy-authenticate", "www-authenticate", "x-page-cache-captured");

	/**
	 * Marks a page rendered with the page cache before Spring Security, so that it holds
	 * the headers Security wrote: only such a page may be served before Security. Stored
	 * among the headers (page formats unchanged, older pages read as unmarked) and never
	 * replayed; a header of that name set by the application is not stored.
	 */
	static final PageEntry.Header CAPTURED_BEFORE_SECURITY = new PageEntry.Header("X-Page-Cache-Captured",
			"before-security");

	private StoredHeaders() {
	}

	/**
	 * The headers of a response worth replaying, the content type first.
	 * @param response the rendered response
	 * @return the headers, in order
	 */
	static List<PageEntry.Header> of(CachingResponseWrapper response) {
		List<PageEntry.Header> headers = new ArrayList<>();
		String contentType = response.getContentType();
		if (contentType != null) {
			headers.add(new PageEntry.Header(HttpHeaders.CONTENT_TYPE, contentType));
		}
		String contentLanguage = response.contentLanguage();
		for (String name : new LinkedHashSet<>(response.getHeaderNames())) {
			if (HttpHeaders.CONTENT_LANGUAGE.equalsIgnoreCase(name)) {
				contentLanguage = null;
			}
			if (!NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
				for (String value : response.getHeaders(name)) {
					headers.add(new PageEntry.Header(name, value));
				}
			}
		}
		if (contentLanguage != null) {
			headers.add(new PageEntry.Header(HttpHeaders.CONTENT_LANGUAGE, contentLanguage));
		}
		return headers;
	}

	/**
	 * Add the stored headers of a page to a response, by index: no iterator per hit.
	 * @param entry the page
	 * @param response the response
	 */
	static void replay(PageEntry entry, HttpServletResponse response) {
		List<PageEntry.Header> headers = entry.headers();
		for (int i = 0; i < headers.size(); i++) {
			PageEntry.Header header = headers.get(i);
			if (header != CAPTURED_BEFORE_SECURITY && !CAPTURED_BEFORE_SECURITY.equals(header)) {
				response.addHeader(header.name(), header.value());
			}
		}
	}

	/**
	 * Mark a page as rendered before Spring Security.
	 * @param entry the page
	 * @return the marked page
	 */
	static PageEntry markCapturedBeforeSecurity(PageEntry entry) {
		List<PageEntry.Header> headers = new ArrayList<>(entry.headers());
		headers.add(CAPTURED_BEFORE_SECURITY);
		return new PageEntry(entry.status(), headers, entry.gzippedBody(), entry.identityLength(), entry.etag(),
				entry.storedAt(), entry.tags());
	}

	/**
	 * Whether a page was rendered before Spring Security, so that it holds the headers
	 * Security wrote.
	 * @param entry the page
	 * @return {@code true} if it is marked
	 */
	static boolean isCapturedBeforeSecurity(PageEntry entry) {
		List<PageEntry.Header> headers = entry.headers();
		for (int i = headers.size() - 1; i >= 0; i--) {
			if (CAPTURED_BEFORE_SECURITY.equals(headers.get(i))) {
				return true;
			}
		}
		return false;
	}

}
