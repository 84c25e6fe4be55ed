package dev.pagecache.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.util.Assert;

/**
 * Purges pages from one kind of shared cache in front of the application (Varnish, nginx,
 * a CDN), at every endpoint of that kind. Define one as a bean to add an edge; the
 * built-in ones are configured under {@code pagecache.edge.*}.
 * <p>
 * Called in the thread that committed a write, before the write's request returns, and
 * once more after {@code pagecache.edge.repurge-delay}; a purge that throws
 * {@link PurgeException} is queued and retried with backoff. Implementations are
 * thread-safe and bound the time one call may take.
 *
 * @author pagecache
 */
public interface EdgePurger {

	/**
	 * Whether this edge purges by tag; if not, it is given the URLs of the tagged pages.
	 * @return {@code true} for a tag-capable edge (Varnish with xkey, Fastly, Cloudflare)
	 */
	boolean purgesByTag();

	/**
	 * Purges the targets: an edge that purges by tag gets the tokens of the invalidated
	 * tags, and the URLs of those invalidated pages whose tags did not fit in the tag
	 * header; any other edge gets the URLs of every invalidated page.
	 * {@link Purge#isEverything()} asks for every page.
	 * @param purge what to purge
	 * @throws PurgeException (unchecked) on a failure worth retrying
	 */
	void purge(Purge purge);

	/**
	 * A name for this purger, unique among the application's purgers: failed purges are
	 * queued under it, so that the purger of the same name retries them, also on another
	 * instance.
	 * @return the name, by default the simple name of the class (the full name of an
	 * anonymous class, whose simple name is empty)
	 */
	default String name() {
		String name = getClass().getSimpleName();
		return name.isEmpty() ? getClass().getName() : name;
	}

	/**
	 * What to purge: tag tokens (as sent in the tag header) and/or paths with query
	 * ({@code /posts/1?page=2}).
	 * <p>
	 * A tag token is {@link #token(String)} of a page tag: 13 characters of base32 (the
	 * first 8 bytes of the tag's SHA-256 digest), the same for the header a page carries
	 * and for the purge that drops it, so that any tag, however long, costs the edge 14
	 * bytes of header. Every page also carries the token of {@link #ALL_PAGES_TAG}, which
	 * {@link #everything()} purges.
	 *
	 * @param tags the tag tokens
	 * @param urls paths with their query, each starting with {@code /};
	 * {@value #EVERYTHING_URL} stands for every page
	 */
	record Purge(Set<String> tags, Set<String> urls) {

		/**
		 * The tag every page carries at the edge, whose token purges every page.
		 */
		public static final String ALL_PAGES_TAG = "pagecache:all";

		/**
		 * The store tag of pages whose tag tokens did not fit in the edge's tag header:
		 * they are purged by URL, also at edges that purge by tag.
		 */
		public static final String PURGED_BY_URL_TAG = "pagecache:edge-purged-by-url";

		/**
		 * The URL that stands for every page, for edges that purge by URL (nginx's purge
		 * module reads a trailing {@code *} as a prefix match).
		 */
		public static final String EVERYTHING_URL = "/*";

		private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

		private static final int TOKEN_LENGTH = 13;

		public Purge {
			Assert.notNull(tags, "'tags' must not be null");
			Assert.notNull(urls, "'urls' must not be null");
			for (String url : urls) {
				Assert.isTrue(url.startsWith("/"), () -> "URL to purge '" + url + "' must start with '/'");
			}
			tags = Set.copyOf(tags);
			urls = Set.copyOf(urls);
		}

		/**
		 * The purge of the tokens of some tags.
		 * @param tags the page tags, such as {@code Post#42}
		 * @return the purge
		 */
		public static Purge ofTags(Collection<String> tags) {
			Set<String> tokens = new LinkedHashSet<>();
			for (String tag : tags) {
				tokens.add(token(tag));
			}
			return new Purge(tokens, Set.of());
		}

		/**
		 * The purge of every page: the token every page carries, and
		 * {@value #EVERYTHING_URL}.
		 * @return the purge
		 */
		public static Purge everything() {
			return new Purge(Set.of(token(ALL_PAGES_TAG)), Set.of(EVERYTHING_URL));
		}

		/**
		 * Whether this purge asks for every page.
		 * @return {@code true} if it does
		 */
		public boolean isEverything() {
			return this.urls.contains(EVERYTHING_URL) || this.tags.contains(token(ALL_PAGES_TAG));
		}

		/**
		 * Whether there is nothing to purge.
		 * @return {@code true} if neither tags nor URLs
		 */
		public boolean isEmpty() {
			return this.tags.isEmpty() && this.urls.isEmpty();
		}

		/**
		 * The token of a page tag at the edge: the first 8 bytes of its SHA-256 digest
		 * (of its UTF-8 bytes) in lower-case base32 without padding, 13 characters.
		 * @param tag the tag
		 * @return the token
		 */
		public static String token(String tag) {
			byte[] digest;
			try {
				digest = MessageDigest.getInstance("SHA-256").digest(tag.getBytes(StandardCharsets.UTF_8));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
			long bits = 0;
			for (int i = 0; i < 8; i++) {
				bits = (bits << 8) | (digest[i] & 0xff);
			}
			char[] token = new char[TOKEN_LENGTH];
			// 64 bits in 13 groups of 5, the last group holding the low 4 bits shifted
			// left
			for (int i = 0; i < TOKEN_LENGTH; i++) {
				int shift = 59 - 5 * i;
				int group = (int) ((shift >= 0) ? (bits >>> shift) & 31 : (bits << -shift) & 31);
				token[i] = BASE32[group];
			}
			return new String(token);
		}

	}

	/**
	 * Thrown by an {@link EdgePurger} whose purge failed in a way worth retrying: an
	 * endpoint that cannot be reached, a timeout, a 5xx or a rate limit. The purge is
	 * queued and retried with backoff.
	 *
	 */
	class PurgeException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		/**
		 * Create an exception.
		 * @param message what failed, naming the endpoint
		 */
		public PurgeException(String message) {
			super(message);
		}

		/**
		 * Create an exception with a cause.
		 * @param message what failed, naming the endpoint
		 * @param cause the cause
		 */
		public PurgeException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
