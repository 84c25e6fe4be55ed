package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.springframework.util.Assert;

/**
 * Every Redis key of one namespace, built in one place. All keys start with {@code {ns}:}
 * so that they share one hash tag and the Lua scripts may touch them together.
 * <p>
 * A page key of at most {@value #MAX_READABLE_KEY_BYTES} UTF-8 bytes is kept readable
 * ({@code {ns}:p:<key>}); a longer one is stored under the SHA-256 digest of the key,
 * base64url without padding ({@code {ns}:h:<digest>}), so that Redis keys stay bounded.
 * Tag indexes hold a member per page from which both the Redis key and the readable key
 * can be recovered: {@code p:<key>} (the page key without the prefix) or
 * {@code h:<digest>:<key>} (whose first 45 characters are the page key without the
 * prefix). The marker of a page, which says why it went once it is gone, is
 * {@code {ns}:r:} followed by the page key without the prefix.
 *
 * @author pagecache
 */
final class RedisKeys {

	static final int MAX_READABLE_KEY_BYTES = 200;

	private static final String READABLE = "p:";

	private static final String HASHED = "h:";

	private static final int DIGEST_LENGTH = 43;

	private final String prefix;

	private final byte[] prefixBytes;

	private final byte[] sequence;

	private final byte[] epoch;

	private final byte[] statistics;

	private final byte[] leases;

	private final byte[] acknowledgements;

	private final byte[] channel;

	RedisKeys(String namespace) {
		Assert.hasText(namespace, "'namespace' must not be empty");
		Assert.isTrue(namespace.indexOf('{') < 0 && namespace.indexOf('}') < 0,
				() -> "'namespace' must not contain '{' or '}' (it becomes the keys' hash tag): " + namespace);
		this.prefix = "{" + namespace + "}:";
		this.prefixBytes = bytes(this.prefix);
		this.sequence = bytes(this.prefix + "seq");
		this.epoch = bytes(this.prefix + "epoch");
		this.statistics = bytes(this.prefix + "stats");
		this.leases = bytes(this.prefix + "n");
		this.acknowledgements = bytes(this.prefix + "a");
		this.channel = bytes(this.prefix + "near");
	}

	/** The prefix of every key, {@code {ns}:}. */
	byte[] prefix() {
		return this.prefixBytes;
	}

	/** The invalidation counter, {@code {ns}:seq}. */
	byte[] sequence() {
		return this.sequence;
	}

	/** The epoch, {@code {ns}:epoch}. */
	byte[] epoch() {
		return this.epoch;
	}

	/** The page entry, {@code {ns}:p:<key>} or {@code {ns}:h:<digest>}. */
	byte[] page(String key) {
		return bytes(this.prefix + pageSuffix(key));
	}

	/**
	 * The page entry and its marker.
	 * @return the page key {@code {ns}:p:<key>} (or {@code {ns}:h:<digest>}) and the
	 * marker key {@code {ns}:r:p:<key>} (or {@code {ns}:r:h:<digest>})
	 */
	/**
	 * The lease of a page: which instance renders it now.
	 */
	byte[] lease(String key) {
		return bytes(this.prefix + "l:" + pageSuffix(key));
	}

	byte[][] pageAndMarker(String key) {
		String suffix = pageSuffix(key);
		return new byte[][] { bytes(this.prefix + suffix), bytes(this.prefix + "r:" + suffix) };
	}

	/** The fleet's figures, {@code {ns}:stats}. */
	byte[] statistics() {
		return this.statistics;
	}

	/**
	 * The hash of the near caches' leases: name to lease expiry in milliseconds on the
	 * server's clock.
	 */
	byte[] leases() {
		return this.leases;
	}

	/**
	 * The hash of the near caches' acknowledgements: name to the last invalidation
	 * applied.
	 */
	byte[] acknowledgements() {
		return this.acknowledgements;
	}

	/**
	 * The channel that carries invalidations and pings to the near caches.
	 */
	byte[] channel() {
		return this.channel;
	}

	private static String pageSuffix(String key) {
		byte[] readable = bytes(key);
		return isReadable(readable) ? READABLE + key : HASHED + digest(readable);
	}

	/**
	 * The member of the page in tag indexes, {@code p:<key>} or {@code h:<digest>:<key>}.
	 */
	byte[] member(String key) {
		byte[] readable = bytes(key);
		return bytes(isReadable(readable) ? READABLE + key : HASHED + digest(readable) + ":" + key);
	}

	/** The page key an index member stands for. */
	String keyOf(byte[] member) {
		String value = new String(member, StandardCharsets.UTF_8);
		if (value.startsWith(HASHED)) {
			return value.substring(HASHED.length() + DIGEST_LENGTH + 1);
		}
		return value.substring(READABLE.length());
	}

	/** The sequence of the tag's last invalidation, {@code {ns}:s:<tag>}. */
	byte[] record(String tag) {
		return bytes(this.prefix + "s:" + tag);
	}

	/**
	 * The index of the pages that carry a tag in one epoch, {@code {ns}:t:<epoch>:<tag>}.
	 */
	byte[] index(String epoch, String tag) {
		return bytes(this.prefix + "t:" + epoch + ":" + tag);
	}

	private static boolean isReadable(byte[] key) {
		return key.length <= MAX_READABLE_KEY_BYTES;
	}

	private static String digest(byte[] key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
