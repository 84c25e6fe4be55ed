package dev.pagecache.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;

import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.store.PageEntry;

import org.springframework.http.HttpHeaders;

/**
 * How browsers revalidate cached pages: each page carries a strong ETag, a page's
 * response tells the browser to revalidate ({@code Cache-Control: no-cache}), and an
 * {@code If-None-Match} that names the page's ETag is answered with {@code 304}.
 *
 * @author pagecache
 */
final class Revalidation {

	static final String CACHE_CONTROL = "no-cache";

	private Revalidation() {
	}

	/**
	 * Tell the browser to revalidate, unless the application set a {@code Cache-Control}
	 * of its own.
	 * @param response the response
	 */
	static void setCacheControl(HttpServletResponse response) {
		setCacheControl(response, CACHE_CONTROL);
	}

	/**
	 * Set a {@code Cache-Control}, unless the application set one of its own.
	 * @param response the response
	 * @param cacheControl the value
	 */
	static void setCacheControl(HttpServletResponse response, String cacheControl) {
		if (!response.containsHeader(HttpHeaders.CACHE_CONTROL)) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
		}
	}

	/**
	 * Whether {@code If-None-Match} names the page, in either encoding.
	 * @param ifNoneMatch the header values
	 * @param entry the page
	 * @return {@code true} if the client holds it already
	 */
	static boolean matches(Enumeration<String> ifNoneMatch, PageEntry entry) {
		while (ifNoneMatch.hasMoreElements()) {
			for (String tag : ifNoneMatch.nextElement().split(",")) {
				String candidate = tag.trim();
				if (candidate.startsWith("W/")) {
					candidate = candidate.substring(2);
				}
				if (candidate.equals("*") || candidate.equals(entry.etag()) || candidate.equals(entry.gzipEtag())) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * The application's own strong ETag, else the first 128 bits of the SHA-256 digest of
	 * the gzipped body. Gzip is lossless, so two different bodies never compress to the
	 * same bytes, and the digest of the compressed bytes changes whenever the body does,
	 * as a digest of the body itself would; it costs a fraction as much, since the
	 * compressed body is several times smaller. The same body compressed by another zlib
	 * or at another level gets another ETag, which only costs a client a full response
	 * instead of a {@code 304}.
	 * @param response the response, with the ETag the application set if any
	 * @param gzipped the gzipped body
	 * @return the quoted ETag
	 */
	static String etagOf(HttpServletResponse response, byte[] gzipped) {
		String existing = response.getHeader(HttpHeaders.ETAG);
		if (existing != null && existing.startsWith("\"") && existing.endsWith("\"") && existing.length() > 2) {
			return existing;
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(gzipped);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16)) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
