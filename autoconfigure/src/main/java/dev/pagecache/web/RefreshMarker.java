package dev.pagecache.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The header that tells a refresh from a reader's request: a random 128-bit secret made
 * at start-up that never leaves the process but on loopback, compared in constant time. A
 * request with another value, or a marker of another instance, is an ordinary request.
 *
 * @author pagecache
 */
final class RefreshMarker {

	/** The marker's header. */
	static final String HEADER = "X-Page-Cache-Refresh";

	/** No refreshes: no request is one. */
	static final RefreshMarker NONE = new RefreshMarker(null);

	private final byte @Nullable [] secret;

	private RefreshMarker(byte @Nullable [] secret) {
		this.secret = secret;
	}

	/**
	 * A marker with a new random secret.
	 * @return the marker
	 */
	static RefreshMarker random() {
		byte[] bytes = new byte[16];
		new SecureRandom().nextBytes(bytes);
		return new RefreshMarker(HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * The header's value.
	 * @return the value
	 */
	String value() {
		byte[] bytes = this.secret;
		if (bytes == null) {
			throw new IllegalStateException("No refresh has a marker");
		}
		return new String(bytes, StandardCharsets.ISO_8859_1);
	}

	/**
	 * Whether a request is a refresh of this instance.
	 * @param request the request
	 * @return whether it carries this marker
	 */
	boolean isRefresh(HttpServletRequest request) {
		byte[] bytes = this.secret;
		if (bytes == null) {
			return false;
		}
		String value = request.getHeader(HEADER);
		return value != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.ISO_8859_1), bytes);
	}

}
