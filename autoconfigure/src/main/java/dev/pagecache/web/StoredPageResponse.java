package dev.pagecache.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.store.PageEntry;

import org.springframework.http.HttpHeaders;

/**
 * A stored page written as the response to a request: status, headers, ETag and body in
 * the encoding the client accepts, or {@code 304} when the client holds the same
 * representation. This is the whole work of a hit.
 *
 * @author pagecache
 */
final class StoredPageResponse {

	/**
	 * The {@code Age} values of the first hour, made once: a hit would otherwise format
	 * one.
	 */
	private static final String[] AGES = new String[3600];

	/** Pages served to clients that do not accept gzip, decompressed once. */
	private static final IdentityBodies IDENTITY_BODIES = new IdentityBodies();

	/** Edge headers off: every hit carries its {@code Age}. */
	static final EdgeMark NO_EDGE = (response) -> false;

	private StoredPageResponse() {
	}

	/**
	 * Write a stored page.
	 * @param request the request
	 * @param response the response
	 * @param entry the page
	 * @param now the current time in epoch milliseconds, for {@code Age}
	 * @param status {@link CacheStatus#HIT} or {@link CacheStatus#STALE}
	 * @throws IOException on a write failure
	 */
	static void write(HttpServletRequest request, HttpServletResponse response, PageEntry entry, long now,
			CacheStatus status) throws IOException {
		write(request, response, entry, now, status, NO_EDGE);
	}

	/**
	 * Write a stored page, with the headers that tell shared caches whether to keep it.
	 * @param request the request
	 * @param response the response
	 * @param entry the page
	 * @param now the current time in epoch milliseconds, for {@code Age}
	 * @param status {@link CacheStatus#HIT} or {@link CacheStatus#STALE}
	 * @param edge sets the shared-cache headers once the stored ones are replayed
	 * @throws IOException on a write failure
	 */
	static void write(HttpServletRequest request, HttpServletResponse response, PageEntry entry, long now,
			CacheStatus status, EdgeMark edge) throws IOException {
		boolean gzip = AcceptEncoding.acceptsGzip(request);
		String etag = gzip ? entry.gzipEtag() : entry.etag();
		StoredHeaders.replay(entry, response);
		status.setOn(response);
		if (!edge.mark(response)) {
			response.setHeader(HttpHeaders.AGE, age(Math.max(0, (now - entry.storedAt()) / 1000)));
		}
		response.setHeader(HttpHeaders.ETAG, etag);
		Revalidation.setCacheControl(response);
		// most hits carry no If-None-Match: asking for all its values costs an
		// enumeration
		if (request.getHeader(HttpHeaders.IF_NONE_MATCH) != null
				&& Revalidation.matches(request.getHeaders(HttpHeaders.IF_NONE_MATCH), entry)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setStatus(entry.status());
		byte[] body = gzip ? entry.gzippedBody() : IDENTITY_BODIES.of(entry);
		if (gzip) {
			response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
		}
		response.setContentLength(body.length);
		if (!"HEAD".equals(request.getMethod())) {
			response.getOutputStream().write(body);
		}
	}

	/**
	 * Sets the shared-cache headers of a stored page's response.
	 */
	@FunctionalInterface
	interface EdgeMark {

		/**
		 * Set the headers, after the stored ones.
		 * @param response the response
		 * @return whether the response was marked shared, and then carries no {@code Age}
		 */
		boolean mark(HttpServletResponse response);

	}

	/**
	 * An {@code Age} value. Racy on purpose: two threads may both format an age, and
	 * either string is right.
	 */
	static String age(long seconds) {
		if (seconds >= AGES.length) {
			return Long.toString(seconds);
		}
		String age = AGES[(int) seconds];
		if (age == null) {
			age = Long.toString(seconds);
			AGES[(int) seconds] = age;
		}
		return age;
	}

}
