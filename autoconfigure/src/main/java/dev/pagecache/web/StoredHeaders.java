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
			"content-type", "upgrade", "trailer", "proxy-authenticate", "www-authenticate");

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
			response.addHeader(header.name(), header.value());
		}
	}

}
