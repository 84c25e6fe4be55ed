package dev.pagecache.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.store.PageEntry;

import org.springframework.http.HttpHeaders;

/**
 * Turns captured responses into entries and entries back into responses.
 *
 * @author pagecache
 */
final class PageResponses {

	static final String HEADER = "X-Page-Cache";

	static final String HIT = "HIT";

	static final String MISS = "MISS";

	static final String STALE = "STALE";

	static final String BYPASS = "BYPASS";

	static final String REVALIDATE = "no-cache";

	private static final int GZIP_HEADER = 10;

	private static final int GZIP_TRAILER = 8;

	private static final Set<String> NOT_STORED = Set.of("set-cookie", "date", "content-length", "transfer-encoding",
			"connection", "keep-alive", "age", "etag", "content-encoding", "x-page-cache", "expires", "pragma",
			"content-type", "upgrade", "trailer", "proxy-authenticate", "www-authenticate");

	private PageResponses() {
	}

	/**
	 * Turn a captured response into an entry: the headers worth replaying, the body
	 * compressed once at the given gzip level, and the ETag that the application set or,
	 * by default, one derived from the compressed body (see {@link #etagOf}).
	 */
	static PageEntry entry(HttpServletResponse response, byte[] body, int length, Collection<String> tags, long now,
			int compressionLevel) {
		List<PageEntry.Header> headers = new ArrayList<>();
		String contentType = response.getContentType();
		if (contentType != null) {
			headers.add(new PageEntry.Header(HttpHeaders.CONTENT_TYPE, contentType));
		}
		for (String name : new LinkedHashSet<>(response.getHeaderNames())) {
			if (!NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
				for (String value : response.getHeaders(name)) {
					headers.add(new PageEntry.Header(name, value));
				}
			}
		}
		byte[] gzipped = gzip(body, length, compressionLevel);
		return new PageEntry(response.getStatus(), headers, gzipped, length, etagOf(response, gzipped), now,
				new LinkedHashSet<>(tags));
	}

	/**
	 * Write a stored page: status, headers, ETag and body in the encoding the client
	 * accepts, or 304 when the client holds the same representation, with the given
	 * {@code X-Page-Cache} value ({@link #HIT} or {@link #STALE}).
	 */
	static void write(HttpServletRequest request, HttpServletResponse response, PageEntry entry, long now,
			String result) throws IOException {
		boolean gzip = acceptsGzip(request);
		String etag = gzip ? entry.gzipEtag() : entry.etag();
		for (PageEntry.Header header : entry.headers()) {
			response.addHeader(header.name(), header.value());
		}
		response.setHeader(HEADER, result);
		response.setHeader(HttpHeaders.AGE, Long.toString(Math.max(0, (now - entry.storedAt()) / 1000)));
		response.setHeader(HttpHeaders.ETAG, etag);
		if (!response.containsHeader(HttpHeaders.CACHE_CONTROL)) {
			response.setHeader(HttpHeaders.CACHE_CONTROL, REVALIDATE);
		}
		if (matches(request.getHeaders(HttpHeaders.IF_NONE_MATCH), entry)) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setStatus(entry.status());
		byte[] body = gzip ? entry.gzippedBody() : gunzip(entry.gzippedBody(), entry.identityLength());
		if (gzip) {
			response.setHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
		}
		response.setContentLength(body.length);
		if (!"HEAD".equals(request.getMethod())) {
			response.getOutputStream().write(body);
		}
	}

	/**
	 * Whether {@code Accept-Encoding} names {@code gzip} with a non-zero quality. Parsed
	 * in place, since it runs on every hit.
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
		int i = start;
		while (i < end && value.charAt(i) == ' ') {
			i++;
		}
		if (i + 1 >= end || Character.toLowerCase(value.charAt(i)) != 'q') {
			return false;
		}
		i++;
		while (i < end && value.charAt(i) == ' ') {
			i++;
		}
		if (i >= end || value.charAt(i) != '=') {
			return false;
		}
		i++;
		while (i < end && value.charAt(i) == ' ') {
			i++;
		}
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
		while (i < end && value.charAt(i) == ' ') {
			i++;
		}
		return i == end;
	}

	private static boolean matches(Enumeration<String> ifNoneMatch, PageEntry entry) {
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
	 */
	private static String etagOf(HttpServletResponse response, byte[] gzipped) {
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

	/**
	 * Compress a body with gzip.
	 * @param body the body (the array may be longer than {@code length})
	 * @param length the length of the body
	 * @param level the compression level, from {@link Deflater#BEST_SPEED} to
	 * {@link Deflater#BEST_COMPRESSION}
	 * @return the gzip member
	 */
	static byte[] gzip(byte[] body, int length, int level) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
		try (GZIPOutputStream gzip = new LeveledGzipOutputStream(out, level)) {
			gzip.write(body, 0, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * Decompress a stored body. The gzip member that {@link #gzip} writes (a 10-byte
	 * header without optional fields, then one deflate stream and its trailer) is
	 * inflated straight into an array of the recorded length and checked against the
	 * trailer's CRC; any other member is read with {@link GZIPInputStream}.
	 * @param gzipped the gzip member
	 * @param identityLength the length of the body
	 * @return the body
	 */
	static byte[] gunzip(byte[] gzipped, int identityLength) {
		if (gzipped.length < GZIP_HEADER + GZIP_TRAILER || gzipped[0] != (byte) 0x1f || gzipped[1] != (byte) 0x8b
				|| gzipped[2] != Deflater.DEFLATED || gzipped[3] != 0) {
			return gunzipMember(gzipped, identityLength);
		}
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(gzipped, GZIP_HEADER, gzipped.length - GZIP_HEADER);
			byte[] body = new byte[identityLength];
			int length = 0;
			while (!inflater.finished()) {
				int inflated = inflater.inflate(body, length, identityLength - length);
				if (inflated == 0
						&& (length == identityLength || inflater.needsInput() || inflater.needsDictionary())) {
					break;
				}
				length += inflated;
			}
			CRC32 crc = new CRC32();
			crc.update(body, 0, length);
			int trailer = gzipped.length - GZIP_TRAILER;
			if (length != identityLength || !inflater.finished() || inflater.getRemaining() != GZIP_TRAILER
					|| (int) crc.getValue() != littleEndianInt(gzipped, trailer)
					|| identityLength != littleEndianInt(gzipped, trailer + 4)) {
				throw new UncheckedIOException(new IOException("Entry body does not match its gzip trailer"));
			}
			return body;
		}
		catch (DataFormatException ex) {
			throw new UncheckedIOException(new IOException("Entry body is not valid gzip", ex));
		}
		finally {
			inflater.end();
		}
	}

	private static int littleEndianInt(byte[] bytes, int offset) {
		return (bytes[offset] & 0xff) | (bytes[offset + 1] & 0xff) << 8 | (bytes[offset + 2] & 0xff) << 16
				| (bytes[offset + 3] & 0xff) << 24;
	}

	private static byte[] gunzipMember(byte[] gzipped, int identityLength) {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 8192)) {
			byte[] body = in.readNBytes(identityLength);
			if (body.length != identityLength) {
				throw new IOException("Entry body is shorter than its recorded length");
			}
			return body;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A {@link GZIPOutputStream} at a given level (the JDK's constructors fix the
	 * default, 6).
	 */
	private static final class LeveledGzipOutputStream extends GZIPOutputStream {

		LeveledGzipOutputStream(ByteArrayOutputStream out, int level) throws IOException {
			super(out, 8192);
			this.def.setLevel(level);
		}

	}

}
