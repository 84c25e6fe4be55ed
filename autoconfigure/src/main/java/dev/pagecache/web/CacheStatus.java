package dev.pagecache.web;

import jakarta.servlet.http.HttpServletResponse;

/**
 * What the cache did with a request, as the {@code X-Page-Cache} response header tells
 * it.
 *
 * @author pagecache
 */
enum CacheStatus {

	/** Served from the store. */
	HIT,

	/** Rendered by the application, and stored if it could be. */
	MISS,

	/** Served from the store past its TTL while another request renders it again. */
	STALE,

	/**
	 * Rendered by the application and never stored (credentials, a URI not canonical).
	 */
	BYPASS;

	static final String HEADER = "X-Page-Cache";

	/**
	 * Set the header on a response.
	 * @param response the response
	 */
	void setOn(HttpServletResponse response) {
		response.setHeader(HEADER, name());
	}

}
