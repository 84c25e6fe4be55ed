package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.store.PageStore.HotList;
import dev.pagecache.store.PageStore.PageCount;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Every command the {@link RedisPageStore} sends, with its keys and arguments in the
 * order the scripts declare them in their headers, through {@link GuardedRedis}. The
 * store decides when to send them; this class only knows how.
 *
 * @author pagecache
 */
final class StoreCommands {

	/** The TTL of the epoch, the counter and the shared hashes, refreshed by writes. */
	static final Duration META_TTL = Duration.ofDays(30);

	private static final LuaScript PUT = LuaScript.loadWithLibrary("put");

	private static final LuaScript INVALIDATE = LuaScript.loadWithLibrary("invalidate");

	private static final LuaScript CLEAR = LuaScript.loadWithLibrary("clear");

	private static final LuaScript CREATE_EPOCH = LuaScript.loadWithLibrary("create-epoch");

	private static final LuaScript RELEASE = LuaScript.load("release");

	private static final LuaScript TAGGED = LuaScript.loadWithLibrary("tagged");

	private static final LuaScript COUNT_TAGGED = LuaScript.loadWithLibrary("count-tagged");

	/**
	 * The most index members {@code count-tagged.lua} checks: it counts tags with up to
	 * this many unexpired members and estimates the others from this many.
	 */
	static final int COUNT_SAMPLE = 32;

	/** The most index members one run of {@code tagged.lua} examines for a full list. */
	static final int TAGGED_SLICE = 1000;

	private static final Log logger = LogFactory.getLog(RedisPageStore.class);

	private final GuardedRedis redis;

	private final RedisKeys keys;

	private final byte[] metaTtl = RedisKeys.number(META_TTL.toMillis());

	/** Names this instance in the render leases it takes. */
	private final byte[] renderLeaseHolder = PageValue.newEpoch();

	/** When the last warning about a full route was logged, in epoch milliseconds. */
	private volatile long routeLimitWarnedAt;

	StoreCommands(GuardedRedis redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/** {@code create-epoch.lua}. */
	void createEpoch() {
		this.redis.execute("lookup",
				(connection) -> CREATE_EPOCH.run(connection, ReturnType.INTEGER, 3, this.keys.sequence(),
						this.keys.epoch(), this.keys.replication(), PageValue.newEpoch(), this.metaTtl,
						this.keys.nearCacheChannel(), this.keys.prefix()));
	}

	/**
	 * {@code put.lua}; warns, at most once a minute, when a route is full.
	 * @return whether the page was stored
	 */
	boolean put(String key, byte[] value, List<String> tags, Duration ttl, String epoch, long sequence,
			PutSettings settings) {
		byte[][] pageAndMissReason = this.keys.pageAndMissReason(key);
		byte[][] keysAndArgs = new byte[6 + 2 * tags.size() + 12][];
		int i = 0;
		keysAndArgs[i++] = pageAndMissReason[0];
		keysAndArgs[i++] = this.keys.sequence();
		keysAndArgs[i++] = this.keys.epoch();
		keysAndArgs[i++] = this.keys.replication();
		for (String tag : tags) {
			keysAndArgs[i++] = this.keys.tagIndex(epoch, tag);
		}
		keysAndArgs[i++] = pageAndMissReason[1];
		keysAndArgs[i++] = this.keys.renderLease(key);
		int keyCount = i;
		keysAndArgs[i++] = RedisKeys.bytes(epoch);
		keysAndArgs[i++] = RedisKeys.number(sequence);
		keysAndArgs[i++] = RedisKeys.number(ttl.toMillis());
		keysAndArgs[i++] = value;
		keysAndArgs[i++] = this.keys.member(key);
		keysAndArgs[i++] = this.metaTtl;
		keysAndArgs[i++] = RedisKeys.number(settings.missReasonRetention());
		keysAndArgs[i++] = RedisKeys.number(routeTagPosition(tags));
		keysAndArgs[i++] = RedisKeys.number(settings.maxPagesPerRoute());
		keysAndArgs[i++] = this.renderLeaseHolder;
		keysAndArgs[i++] = this.keys.prefix();
		keysAndArgs[i++] = RedisKeys.number(settings.maxRenderTime());
		for (String tag : tags) {
			keysAndArgs[i++] = RedisKeys.bytes(tag);
		}
		Long stored = this.redis.execute("put",
				(connection) -> PUT.run(connection, ReturnType.INTEGER, keyCount, keysAndArgs));
		if (stored != null && stored == 2L) {
			warnRouteAtLimit(tags, settings.maxPagesPerRoute());
		}
		return stored != null && stored == 1L;
	}

	private void warnRouteAtLimit(List<String> tags, int maxPagesPerRoute) {
		long now = System.currentTimeMillis();
		if (now - this.routeLimitWarnedAt > Duration.ofMinutes(1).toMillis()) {
			this.routeLimitWarnedAt = now;
			logger.warn("Page not stored: its route has more than " + maxPagesPerRoute + " pages in Redis "
					+ "(pagecache.redis.max-pages-per-route), as after the limit was lowered; each store removes "
					+ "a few of the least used until it is under the limit again; tags " + tags);
		}
	}

	private static int routeTagPosition(List<String> tags) {
		for (int i = 0; i < tags.size(); i++) {
			if (PageTags.isRoute(tags.get(i))) {
				return i + 1;
			}
		}
		return 0;
	}

	/**
	 * {@code invalidate.lua}, reporting which of the deleted pages carry the reported
	 * tags (none: nothing is reported, and the script deletes pages in batches) and which
	 * of them are hot.
	 * @param hot the lowest score of a hot page and the most hot pages returned (0: none)
	 * @return the pages deleted, then the reply that {@link AcknowledgementWait} reads,
	 * then one more element, the hot pages ({@link RedisHotPages#dropped(List)}), which
	 * the wait passes over as it reads the registrations in pairs
	 */
	List<Object> invalidate(List<String> tags, long missReasonRetention, List<String> reportedTags, HotList hot) {
		byte[][] keysAndArgs = new byte[5 + 8 + reportedTags.size() + tags.size()][];
		int i = 0;
		keysAndArgs[i++] = this.keys.sequence();
		keysAndArgs[i++] = this.keys.epoch();
		keysAndArgs[i++] = this.keys.nearCacheInstances();
		keysAndArgs[i++] = this.keys.replication();
		keysAndArgs[i++] = this.keys.hot();
		keysAndArgs[i++] = this.metaTtl;
		keysAndArgs[i++] = PageValue.newEpoch();
		keysAndArgs[i++] = this.keys.prefix();
		keysAndArgs[i++] = RedisKeys.number(missReasonRetention);
		keysAndArgs[i++] = this.keys.nearCacheChannel();
		keysAndArgs[i++] = RedisKeys.bytes(Double.toString(hot.minRequests()));
		keysAndArgs[i++] = RedisKeys.number(hot.maxPerInvalidation());
		keysAndArgs[i++] = RedisKeys.number(reportedTags.size());
		for (String reported : reportedTags) {
			keysAndArgs[i++] = RedisKeys.bytes(reported);
		}
		for (String tag : tags) {
			keysAndArgs[i++] = RedisKeys.bytes(tag);
		}
		return this.redis.execute("invalidate",
				(connection) -> INVALIDATE.run(connection, ReturnType.MULTI, 5, keysAndArgs));
	}

	/**
	 * The report of an {@code invalidate.lua} reply.
	 * @return for each reported tag, the keys of the deleted pages that carry it
	 */
	static Map<String, List<String>> deletedKeys(List<Object> reply, List<String> reportedTags) {
		List<?> report = (List<?>) reply.get(3);
		Map<String, List<String>> keys = new LinkedHashMap<>();
		for (int i = 0; i < reportedTags.size(); i++) {
			List<String> tagged = new ArrayList<>();
			for (Object member : (i < report.size()) ? (List<?>) report.get(i) : List.of()) {
				tagged.add(RedisKeys.keyOf((byte[]) member));
			}
			keys.put(reportedTags.get(i), List.copyOf(tagged));
		}
		return keys;
	}

	/**
	 * {@code clear.lua}.
	 * @return the reply that {@link AcknowledgementWait} reads
	 */
	List<Object> clear() {
		return this.redis.execute("clear",
				(connection) -> CLEAR.run(connection, ReturnType.MULTI, 4, this.keys.sequence(), this.keys.epoch(),
						this.keys.nearCacheInstances(), this.keys.replication(), PageValue.newEpoch(), this.metaTtl,
						this.keys.nearCacheChannel(), this.keys.prefix()));
	}

	/** {@code HMGET {ns}:near-cache:acknowledged <name>...}. */
	List<byte @Nullable []> readApplied(byte[][] names) {
		return this.redis.execute("invalidate",
				(connection) -> connection.hashCommands().hMGet(this.keys.nearCacheAcknowledged(), names));
	}

	/**
	 * {@code tagged.lua}, slice after slice of {@value #TAGGED_SLICE} members: the keys
	 * of every page that carries the tag. A page stored or dropped meanwhile may be
	 * missed.
	 */
	List<String> keysTagged(String tag) {
		Set<String> keys = new LinkedHashSet<>();
		int first = 0;
		int examined;
		do {
			List<Object> reply = tagged(tag, first, TAGGED_SLICE, TAGGED_SLICE);
			examined = examined(reply);
			keys.addAll(keysOf(reply));
			first += examined;
		}
		while (examined == TAGGED_SLICE);
		return List.copyOf(keys);
	}

	/**
	 * {@code tagged.lua} once: the keys of at most {@code limit} pages among the
	 * {@code 2 * limit} members that expire last.
	 */
	List<String> keysTagged(String tag, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return keysOf(tagged(tag, 0, (int) Math.min(Integer.MAX_VALUE, 2L * limit), limit));
	}

	private List<Object> tagged(String tag, int first, int examined, int returned) {
		return this.redis.execute("keysTagged",
				(connection) -> TAGGED.run(connection, ReturnType.MULTI, 1, this.keys.epoch(), this.keys.prefix(),
						RedisKeys.bytes(tag), RedisKeys.number(first), RedisKeys.number(examined),
						RedisKeys.number(returned)));
	}

	private static int examined(List<Object> reply) {
		return ((Long) reply.get(0)).intValue();
	}

	private static List<String> keysOf(List<Object> reply) {
		List<String> keys = new ArrayList<>(reply.size() - 1);
		for (Object member : reply.subList(1, reply.size())) {
			keys.add(RedisKeys.keyOf((byte[]) member));
		}
		return keys;
	}

	/**
	 * {@code count-tagged.lua}: a count up to {@value #COUNT_SAMPLE} pages, an estimate
	 * from that many beyond.
	 */
	PageCount countTagged(String tag) {
		List<Object> reply = this.redis.execute("countTagged",
				(connection) -> COUNT_TAGGED.run(connection, ReturnType.MULTI, 1, this.keys.epoch(), this.keys.prefix(),
						RedisKeys.bytes(tag), RedisKeys.number(COUNT_SAMPLE)));
		long entries = (Long) reply.get(0);
		return ((Long) reply.get(1) == 1L) ? PageCount.estimated(entries) : PageCount.exact(entries);
	}

	/**
	 * {@code MGET {ns}:page-tags:<page id>...}: the tags of pages that exist, each list
	 * sorted. A page stored in an earlier epoch (before a clear) may still show its tags.
	 */
	Map<String, List<String>> tagsOf(List<String> keys) {
		if (keys.isEmpty()) {
			return Map.of();
		}
		byte[][] tagKeys = keys.stream().map(this.keys::pageTags).toArray(byte[][]::new);
		List<byte[]> values = this.redis.execute("tagsOf", (connection) -> connection.stringCommands().mGet(tagKeys));
		Map<String, List<String>> tags = new LinkedHashMap<>();
		for (int i = 0; i < keys.size() && values != null && i < values.size(); i++) {
			byte[] value = values.get(i);
			if (value != null) {
				tags.put(keys.get(i),
						Arrays.stream(new String(value, StandardCharsets.UTF_8).split("\n")).sorted().toList());
			}
		}
		return tags;
	}

	/**
	 * {@code SET {ns}:render-lease:<page id> <holder> NX PX <duration>}, then, if it was
	 * not set, {@code GET}: held here already counts as taken.
	 */
	boolean takeRenderLease(String key, Duration duration) {
		byte[] lease = this.keys.renderLease(key);
		return this.redis.execute("lease", (connection) -> {
			Boolean taken = connection.stringCommands()
				.set(lease, this.renderLeaseHolder, SetCondition.ifAbsent(),
						Expiration.milliseconds(duration.toMillis()));
			// held here already: a lease command that timed out still reached Redis
			return Boolean.TRUE.equals(taken)
					|| Arrays.equals(connection.stringCommands().get(lease), this.renderLeaseHolder);
		});
	}

	/** {@code release.lua}. */
	void releaseRenderLease(String key) {
		this.redis.execute("release", (connection) -> RELEASE.run(connection, ReturnType.INTEGER, 1,
				this.keys.renderLease(key), this.renderLeaseHolder));
	}

	/**
	 * The counter value read by a lookup; 0 when it is missing.
	 */
	static long parseSequence(byte @Nullable [] value) {
		if (value == null) {
			return 0;
		}
		try {
			return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * What a store needs besides the page.
	 *
	 * @param missReasonRetention how long a miss reason outlives its page in ms; 0 for
	 * none
	 * @param maxPagesPerRoute the most pages a route may have; 0 for no limit
	 * @param maxRenderTime the longest render whose result may be stored, in ms: how long
	 * a tag's last invalidation must be remembered
	 */
	record PutSettings(long missReasonRetention, int maxPagesPerRoute, long maxRenderTime) {

	}

}
