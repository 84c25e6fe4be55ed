package dev.pagecache.store;

import java.util.List;
import java.util.Set;

import org.springframework.util.Assert;

/**
 * A stored page: status, the headers worth replaying, the body compressed once with gzip,
 * the length and strong ETag of its identity encoding, when it was stored and the tags it
 * depends on.
 *
 * @param status the HTTP status
 * @param headers the response headers to replay, in order
 * @param gzippedBody the body, gzip-compressed; never changed once the entry exists (the
 * page cache may keep its decompressed copy as long as it holds this array)
 * @param identityLength the length of the uncompressed body
 * @param etag the strong ETag of the uncompressed body, quoted
 * @param storedAt when the entry was stored, in epoch milliseconds
 * @param tags the tags the page depends on
 * @author pagecache
 */
public record PageEntry(int status, List<Header> headers, byte[] gzippedBody, int identityLength, String etag,
		long storedAt, Set<String> tags) {

	public PageEntry {
		Assert.notNull(headers, "'headers' must not be null");
		Assert.notNull(gzippedBody, "'gzippedBody' must not be null");
		Assert.hasText(etag, "'etag' must not be empty");
		Assert.notNull(tags, "'tags' must not be null");
		headers = List.copyOf(headers);
		tags = Set.copyOf(tags);
	}

	/**
	 * The ETag of the gzip encoding of the body.
	 * @return the quoted ETag
	 */
	public String gzipEtag() {
		return this.etag.substring(0, this.etag.length() - 1) + "-gz\"";
	}

	/**
	 * An approximation of the memory the entry takes, for stores bounded by size.
	 * @return the size in bytes
	 */
	public long estimatedSize() {
		long size = 64L + this.gzippedBody.length + this.etag.length();
		for (Header header : this.headers) {
			size += 32L + header.name().length() + header.value().length();
		}
		for (String tag : this.tags) {
			size += 32L + tag.length();
		}
		return size;
	}

	/**
	 * A response header.
	 *
	 * @param name the header name
	 * @param value the header value
	 */
	public record Header(String name, String value) {

	}

}
