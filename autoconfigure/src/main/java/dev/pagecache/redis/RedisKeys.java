package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.springframework.util.Assert;

/**
 * Every Redis key (and the channel) of one namespace, built in one place, for Java and
 * for the Lua scripts alike. All keys start with {@code {ns}:} so that they share one
 * hash tag and the scripts may touch them together.
 * <p>
 * A page is named by its <em>page id</em>: {@code page:<key>} for a key of at most
 * {@value #MAX_READABLE_KEY_BYTES} UTF-8 bytes, {@code page-sha256:<digest>} (SHA-256,
 * base64url without padding) for a longer one, so that Redis keys stay bounded. The two
 * forms differ in their fifth character, so no readable key can look like a digested one.
 * The page's value, miss reason and render lease are the page id behind the prefix,
 * {@code {ns}:miss-reason:} and {@code {ns}:render-lease:}. A tag index holds one member
 * per page from which both the page id and the readable key can be recovered: the page id
 * of a readable key, or the page id of a digested key followed by {@code :<key>}.
 * {@link #luaConstants()} hands the scripts the same names, so that no length or name is
 * written twice. The hot list ({@code {ns}:hot}) holds index members too, so that an
 * invalidation finds a deleted page's score by the member it read from the index.
 *
 * @author pagecache
 */
final class RedisKeys {

	static final int MAX_READABLE_KEY_BYTES = 200;

	static final String PAGE = "page:";

	static final String DIGESTED_PAGE = "page-sha256:";

	/** The length of a SHA-256 digest in base64url without padding. */
	private static final int DIGEST_LENGTH = 43;

	/** The length of the page id of a digested key, the prefix of its index member. */
	static final int DIGESTED_PAGE_ID_LENGTH = DIGESTED_PAGE.length() + DIGEST_LENGTH;

	static final String MISS_REASON = "miss-reason:";

	static final String RENDER_LEASE = "render-lease:";

	static final String TAG_INDEX = "tag:";

	static final String TAG_STATE = "tag-state:";

	static final String PAGE_TAGS = "page-tags:";

	private final String prefix;

	private final byte[] prefixBytes;

	private final byte[] sequence;

	private final byte[] epoch;

	private final byte[] replication;

	private final byte[] statistics;

	private final byte[] nearCacheInstances;

	private final byte[] nearCacheAcknowledged;

	private final byte[] nearCacheChannel;

	private final byte[] hot;

	private final byte[] hotDecayed;

	RedisKeys(String namespace) {
		Assert.hasText(namespace, "'namespace' must not be empty");
		Assert.isTrue(namespace.indexOf('{') < 0 && namespace.indexOf('}') < 0,
				() -> "'namespace' must not contain '{' or '}' (it becomes the keys' hash tag): " + namespace);
		this.prefix = "{" + namespace + "}:";
		this.prefixBytes = bytes(this.prefix);
		this.sequence = bytes(this.prefix + "sequence");
		this.epoch = bytes(this.prefix + "epoch");
		this.replication = bytes(this.prefix + "replication");
		this.statistics = bytes(this.prefix + "stats");
		this.nearCacheInstances = bytes(this.prefix + "near-cache:instances");
		this.nearCacheAcknowledged = bytes(this.prefix + "near-cache:acknowledged");
		this.nearCacheChannel = bytes(this.prefix + "near-cache");
		this.hot = bytes(this.prefix + "hot");
		this.hotDecayed = bytes(this.prefix + "hot-decayed");
	}

	/**
	 * The names the Lua scripts share with this class, as Lua declarations.
	 * @return the declarations, one a line
	 */
	static String luaConstants() {
		return "local DIGESTED_PAGE = '" + DIGESTED_PAGE + "'\n" + "local DIGESTED_PAGE_ID_LENGTH = "
				+ DIGESTED_PAGE_ID_LENGTH + "\n" + "local MISS_REASON = '" + MISS_REASON + "'\n" + "local TAG_INDEX = '"
				+ TAG_INDEX + "'\n" + "local TAG_STATE = '" + TAG_STATE + "'\n" + "local PAGE_TAGS = '" + PAGE_TAGS
				+ "'\n";
	}

	/** The prefix of every key, {@code {ns}:}. */
	byte[] prefix() {
		return this.prefixBytes;
	}

	/** The invalidation counter, {@code {ns}:sequence}. */
	byte[] sequence() {
		return this.sequence;
	}

	/**
	 * The replication id of the server the epoch was begun on, {@code {ns}:replication},
	 * followed, while pages may be outside their tags' indexes, by a space and until when
	 * (server time in ms).
	 */
	byte[] replication() {
		return this.replication;
	}

	/** The epoch, {@code {ns}:epoch}. */
	byte[] epoch() {
		return this.epoch;
	}

	/** The state of the tags of an epoch, {@code {ns}:tag-state:<epoch>}. */
	byte[] tagState(String epoch) {
		return bytes(this.prefix + TAG_STATE + epoch);
	}

	/** The page, {@code {ns}:page:<key>} or {@code {ns}:page-sha256:<digest>}. */
	byte[] page(String key) {
		return bytes(this.prefix + pageId(key));
	}

	/**
	 * The page and its miss reason.
	 * @return the page key and {@code {ns}:miss-reason:<page id>}
	 */
	byte[][] pageAndMissReason(String key) {
		String pageId = pageId(key);
		return new byte[][] { bytes(this.prefix + pageId), bytes(this.prefix + MISS_REASON + pageId) };
	}

	/** The tags of a page, {@code {ns}:page-tags:<page id>}. */
	byte[] pageTags(String key) {
		return bytes(this.prefix + PAGE_TAGS + pageId(key));
	}

	/**
	 * The render lease of a page (which instance renders it now),
	 * {@code {ns}:render-lease:<page id>}.
	 */
	byte[] renderLease(String key) {
		return bytes(this.prefix + RENDER_LEASE + pageId(key));
	}

	/** The fleet's statistics, {@code {ns}:stats}. */
	byte[] statistics() {
		return this.statistics;
	}

	/**
	 * The hash of the registered near caches, {@code {ns}:near-cache:instances}: name to
	 * registration expiry in milliseconds on the server's clock.
	 */
	byte[] nearCacheInstances() {
		return this.nearCacheInstances;
	}

	/**
	 * The hash of the near caches' acknowledgements,
	 * {@code {ns}:near-cache:acknowledged}: name to the last invalidation applied.
	 */
	byte[] nearCacheAcknowledged() {
		return this.nearCacheAcknowledged;
	}

	/**
	 * The channel that carries invalidations, clears and pings to the near caches,
	 * {@code {ns}:near-cache}.
	 */
	byte[] nearCacheChannel() {
		return this.nearCacheChannel;
	}

	/**
	 * The hot list, {@code {ns}:hot}: page ids (index members) scored by their requests
	 * across the instances, halved every half-life; not per epoch, so that a clear leaves
	 * it to warm from.
	 */
	byte[] hot() {
		return this.hot;
	}

	/**
	 * When the hot list last decayed, {@code {ns}:hot-decayed}: the server's time in ms.
	 */
	byte[] hotDecayed() {
		return this.hotDecayed;
	}

	/**
	 * The index of the pages that carry a tag in one epoch,
	 * {@code {ns}:tag:<epoch>:<tag>}.
	 */
	byte[] tagIndex(String epoch, String tag) {
		return bytes(this.prefix + TAG_INDEX + epoch + ":" + tag);
	}

	/**
	 * The member of the page in tag indexes: its page id, followed by {@code :<key>} when
	 * the key is digested.
	 */
	byte[] member(String key) {
		byte[] readable = bytes(key);
		return bytes(isReadable(readable) ? PAGE + key : DIGESTED_PAGE + digest(readable) + ":" + key);
	}

	/** The page key an index member stands for. */
	static String keyOf(byte[] member) {
		String value = new String(member, StandardCharsets.UTF_8);
		if (value.startsWith(DIGESTED_PAGE)) {
			return value.substring(DIGESTED_PAGE_ID_LENGTH + 1);
		}
		return value.substring(PAGE.length());
	}

	static String pageId(String key) {
		byte[] readable = bytes(key);
		return isReadable(readable) ? PAGE + key : DIGESTED_PAGE + digest(readable);
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

	static byte[] number(long value) {
		return bytes(Long.toString(value));
	}

}
