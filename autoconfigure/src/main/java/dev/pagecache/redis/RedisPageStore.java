package dev.pagecache.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.store.MissReason;
import dev.pagecache.store.FleetStatisticsStore;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageEntryCodec;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsPageStore;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.SetCondition;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.Assert;

/**
 * A {@link PageStore} in Redis, shared by every instance of an application. Guarded
 * stores and invalidations are Lua scripts, so each operation is one round trip and
 * atomic on the server.
 * <p>
 * All keys of a namespace {@code ns} share the hash tag {@code {ns}}, so the scripts may
 * touch them together on a single primary (or a Sentinel-managed one). Every key has a
 * TTL. The layout, as the commands that write it:
 * <p>
 * The <b>epoch</b>, 16 random characters that change when the store is cleared or has
 * lost its data, and the <b>invalidation counter</b>. Both live for 30 days, a TTL every
 * write refreshes; if they expire nevertheless, the epoch changes and every page becomes
 * a miss, which is safe:
 *
 * <pre class="code">
 * SET {ns}:epoch Xq3mX9a_E2lT0pVb NX PX 2592000000
 * SET {ns}:seq 0 NX PX 2592000000
 * </pre>
 *
 * A <b>page</b> is the current epoch, the page's expiry in epoch milliseconds (8 bytes,
 * big-endian, on the writer's clock) and the {@linkplain PageEntryCodec encoded entry},
 * with the entry's TTL. A key of at most 200 UTF-8 bytes is kept readable; a longer one
 * is replaced by its SHA-256 digest, base64url without padding, so that keys stay
 * bounded:
 *
 * <pre class="code">
 * SET {ns}:p:&lt;key&gt; "Xq3mX9a_E2lT0pVb" + entry PX 600000
 * SET {ns}:h:xMpCOKC5I4INzFCab3WEmw9mdI1vVPkCfN4A8nZVlU8 "Xq3mX9a_E2lT0pVb" + entry PX 600000
 * </pre>
 *
 * The <b>index of a tag</b> in an epoch: a sorted set of the pages that carry the tag,
 * scored by their expiry time in milliseconds on the Redis server's clock (the clock that
 * expires the pages, so that instances with skewed clocks cannot prune a member whose
 * page still lives). Its members give both the Redis key and the readable key:
 * {@code p:<key>} for a readable key, {@code h:<digest>:<key>} for a digested one. Each
 * add prunes expired members, and the index lives at least as long as the longest entry
 * it holds. Because the epoch is part of its name, a {@link #clear()} leaves the old
 * indexes behind to expire, unread:
 *
 * <pre class="code">
 * ZREMRANGEBYSCORE {ns}:t:Xq3mX9a_E2lT0pVb:Post#42 -inf (1767225600000
 * ZADD {ns}:t:Xq3mX9a_E2lT0pVb:Post#42 1767226200000 "p:&lt;key&gt;"
 * PEXPIRE {ns}:t:Xq3mX9a_E2lT0pVb:Post#42 600000
 * </pre>
 *
 * The <b>last invalidation of a tag</b>: the counter's value when the tag was last
 * invalidated, kept as long as a render may take ({@code maxRenderTime}; a render that
 * takes longer must not be stored, which the caller checks):
 *
 * <pre class="code">
 * SET {ns}:s:Post#42 17 PX 10000
 * </pre>
 *
 * The <b>marker of a page</b>, written only when a
 * {@linkplain #setMissReasonRetention(Duration) miss reason retention} {@code r} is set
 * (the actuator's figures set it): why the page is gone, for a lookup that misses. A
 * store writes {@code s}, the epoch and the page's expiry on the server's clock, living
 * {@code r} longer than the page; an invalidation that deletes the page replaces it with
 * {@code i}, living {@code r}:
 *
 * <pre class="code">
 * SET {ns}:r:p:&lt;key&gt; "sXq3mX9a_E2lT0pVb1767226200000" PX 4200000
 * SET {ns}:r:p:&lt;key&gt; "i" PX 3600000
 * </pre>
 *
 * The <b>figures of the fleet</b>: one hash of counters that every instance adds its new
 * counts to, every few seconds and never on the request path, with a TTL of 30 days that
 * each addition refreshes. Fields are a counter's name and a page's URL pattern, or an
 * entity type, separated by {@code |}:
 *
 * <pre class="code">
 * HINCRBY {ns}:stats "hits|/posts/{id}" 120
 * HINCRBY {ns}:stats "misses.invalidated|/posts/{id}" 3
 * HINCRBY {ns}:stats "invalidations|Post" 2
 * PEXPIRE {ns}:stats 2592000000
 * </pre>
 *
 * The <b>near caches</b> ({@link #enableNearCache}): each one's lease, with its expiry on
 * the server's clock, the last invalidation each one applied, and the channel on which
 * the scripts that invalidate publish, with every invalidation and clear, the new counter
 * value, the epoch and the tags:
 *
 * <pre class="code">
 * HSET {ns}:n "hT3e0aPq9xZc" 1767226201000
 * HSET {ns}:a "hT3e0aPq9xZc" "17\nXq3mX9a_E2lT0pVb"
 * PUBLISH {ns}:near "i\n17\nXq3mX9a_E2lT0pVb\nPost#42"
 * </pre>
 *
 * The operations:
 * <ul>
 * <li>{@link #lookup(String)}: {@code MGET {ns}:p:<key> {ns}:seq {ns}:epoch}, and the
 * page's marker {@code {ns}:r:p:<key>} in the same command when markers are written. A
 * hit only when the page starts with the current epoch and decodes (an entry in an
 * unknown format is a miss). When the epoch is missing, {@code epoch.lua} creates it and
 * the counter as above, and the lookup carries no epoch, so its render is not stored. The
 * reason of a miss: a page of an earlier epoch, or a marker {@code i}, or a marker of an
 * earlier epoch, is <em>invalidated</em> (a clear replaces the epoch); a marker {@code s}
 * whose expiry has passed on this instance's clock (with a second's tolerance for clock
 * skew) is <em>expired</em>; any other marker {@code s} is <em>evicted</em> (the page
 * went early without an invalidation: {@code maxmemory}); no marker is a <em>first</em>
 * render.</li>
 * <li>{@link #put(String, PageEntry, Duration, PageLookup) put}: {@code put.lua} refuses
 * (returns 0) when the epoch differs from the lookup's, the counter is missing, or any
 * tag's {@code {ns}:s:<tag>} is greater than the lookup's sequence, and (returning 2)
 * when the page is new to its route's index and the index, pruned of expired members,
 * holds {@linkplain #setMaxPagesPerRoute(int) the most pages a route may have}; otherwise
 * it writes the page, adds it to the index of each of its tags and refreshes the TTL of
 * the epoch and the counter.</li>
 * <li>{@link #invalidate(Collection)}: {@code invalidate.lua} runs {@code INCR {ns}:seq},
 * sets each tag's {@code {ns}:s:<tag>} to the new value, deletes the pages of each tag's
 * index in the current epoch in batches of at most 1000 ({@code ZRANGE}, {@code DEL};
 * page by page, marking each page that was still there {@code i}, when markers are
 * written), deletes the index and returns how many pages it deleted. If the counter had
 * been lost, the epoch is replaced as well, since sequence numbers read before would
 * compare against a counter that started over. It publishes the invalidation to the near
 * caches and returns the near caches whose lease runs; the store then waits until each
 * has acknowledged it or its lease has expired.</li>
 * <li>{@link #clear()}: {@code clear.lua} runs {@code INCR {ns}:seq} and replaces the
 * epoch: every page becomes a miss and no render that started before is stored.</li>
 * <li>{@link #keysTagged(String)}: {@code keys.lua} reads the members of the tag's index
 * in the current epoch whose score is after the server's {@code TIME} and whose page
 * still exists (a page deleted through one of its tags stays a member of its other tags'
 * indexes until they are pruned); {@code count.lua} counts them the same way.</li>
 * <li>{@link #fleetStatisticsStore()}: {@code stats.lua} adds an instance's deltas with
 * {@code HINCRBY} and refreshes the TTL, in one round trip; {@code HGETALL {ns}:stats}
 * reads the fleet's figures.</li>
 * </ul>
 * Scripts are read once from this package's resources and sent with {@code EVALSHA},
 * falling back to {@code EVAL} on {@code NOSCRIPT}. They run on Redis 6.2 and 7: no
 * {@code KEYS}, no keyspace notifications, no function flags. {@code invalidate.lua} and
 * {@code keys.lua} derive index and page keys from the stored epoch and index members;
 * those keys are not declared, but share the hash tag of the declared ones. A page stored
 * again under other tags stays in the indexes of its former tags until it expires, so
 * invalidating one of those drops it too: more than necessary, never less. Since every
 * key has a TTL, memory stays bounded without eviction; a {@code maxmemory-policy} that
 * evicts may drop an index or a tag record before the pages it guards, so that a page
 * survives its invalidation: {@code noeviction} is the safe policy.
 * <p>
 * Failures: any Redis exception (refused connection, timeout, disconnection) becomes a
 * {@link PageStoreUnavailableException}. After a number of consecutive failures (3 by
 * default), a circuit breaker fails every call fast for an open duration (1 second by
 * default), then lets one call probe the server. An invalidation or a clear that failed
 * is not dropped: the store remembers it and, before it serves anything once Redis
 * answers again, clears the whole cache (a new epoch); until that clear has succeeded,
 * lookups return no hit and carry no epoch, so that nothing is stored either.
 *
 * @author pagecache
 * @see PageEntryCodec
 */
public final class RedisPageStore implements PageStore, StatisticsPageStore {

	static final int EPOCH_LENGTH = 16;

	/**
	 * A page's value starts with the epoch and the page's expiry in epoch milliseconds (8
	 * bytes).
	 */
	static final int HEADER_LENGTH = EPOCH_LENGTH + Long.BYTES;

	private static final long LONGEST_ACKNOWLEDGEMENT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	static final Duration META_TTL = Duration.ofDays(30);

	private static final int DEFAULT_FAILURE_THRESHOLD = 3;

	private static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(1);

	private static final LuaScript PUT = LuaScript.load("put");

	private static final LuaScript INVALIDATE = LuaScript.load("invalidate", "near");

	private static final LuaScript CLEAR = LuaScript.load("clear", "near");

	private static final LuaScript EPOCH = LuaScript.load("epoch");

	private static final LuaScript RELEASE = LuaScript.load("release");

	private static final LuaScript KEYS_TAGGED = LuaScript.load("keys");

	private static final LuaScript COUNT_TAGGED = LuaScript.load("count");

	/**
	 * How far before its expiry a page that is gone still counts as expired rather than
	 * evicted: the expiry is on the Redis server's clock, the comparison on this
	 * instance's.
	 */
	private static final long EXPIRY_TOLERANCE_MILLIS = 1000;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Log logger = LogFactory.getLog(RedisPageStore.class);

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final byte[] metaTtl = number(META_TTL.toMillis());

	/** Names this instance in the leases it takes. */
	private final byte[] leaseHolder = newEpoch();

	private volatile CircuitBreaker circuitBreaker;

	/** Invalidations and clears that failed, counted. */
	private final AtomicLong lostWrites = new AtomicLong();

	/** The value of {@link #lostWrites} that the last successful clear covers. */
	private volatile long clearedWrites;

	private final ReentrantLock recoveryLock = new ReentrantLock();

	/** The most pages a route may have; 0 for no limit. */
	private volatile int maxPagesPerRoute;

	/**
	 * When the last warning about a route at its limit was logged, in epoch milliseconds.
	 */
	private volatile long routeLimitWarnedAt;

	/**
	 * How long a page's marker outlives it, in milliseconds; 0 when no markers are
	 * written.
	 */
	private volatile long missReasonRetention;

	private volatile StatisticsListener statisticsListener = StatisticsListener.NONE;

	private volatile @Nullable RedisNearCache nearCache;

	/**
	 * Create a store.
	 * @param connectionFactory the connection factory, preferably with the client
	 * settings of {@code pagecache} (rejecting commands while disconnected, a short
	 * command timeout)
	 * @param namespace the namespace of the keys, without braces
	 * @param maxRenderTime the longest render whose result may still be stored: how long
	 * a tag's last invalidation is remembered
	 * @param clock the clock of the circuit breaker
	 */
	public RedisPageStore(RedisConnectionFactory connectionFactory, String namespace, Duration maxRenderTime,
			Clock clock) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.isTrue(maxRenderTime.toMillis() > 0, "'maxRenderTime' must be at least 1 ms");
		Assert.notNull(clock, "'clock' must not be null");
		this.connectionFactory = connectionFactory;
		this.keys = new RedisKeys(namespace);
		this.maxRenderTime = maxRenderTime;
		this.clock = clock;
		this.circuitBreaker = new CircuitBreaker(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DURATION, clock);
	}

	/**
	 * Configure the circuit breaker: after {@code failureThreshold} consecutive failures,
	 * calls fail fast for {@code openDuration}, then one call probes Redis. Defaults to 3
	 * failures and 1 second.
	 * @param failureThreshold the consecutive failures that open the breaker
	 * @param openDuration how long the breaker stays open before a probe
	 */
	public void setCircuitBreaker(int failureThreshold, Duration openDuration) {
		this.circuitBreaker = new CircuitBreaker(failureThreshold, openDuration, this.clock);
	}

	/**
	 * Limit the pages each route may have at a time, so that requests for ever new URLs
	 * of a route (random ids, host names, locales) cannot fill Redis: a page past the
	 * limit is not stored. The route's index counts the pages stored within their TTL. No
	 * limit by default.
	 * @param maxPagesPerRoute the most pages of one route; 0 for no limit
	 */
	public void setMaxPagesPerRoute(int maxPagesPerRoute) {
		Assert.isTrue(maxPagesPerRoute >= 0, "'maxPagesPerRoute' must not be negative");
		this.maxPagesPerRoute = maxPagesPerRoute;
	}

	/**
	 * Write a marker with each page that says, once the page is gone, why it went, so
	 * that lookups report why they missed. Off (zero) by default: no marker is written
	 * nor read.
	 * @param retention how long a marker outlives its page
	 */
	@Override
	public void setMissReasonRetention(Duration retention) {
		Assert.isTrue(!retention.isNegative(), "'retention' must not be negative");
		this.missReasonRetention = retention.toMillis();
	}

	/**
	 * Keep the pages read from Redis in this instance's memory as well, and serve them
	 * from there for as long as every invalidation since is known to have reached this
	 * instance. See {@link RedisNearCache} for how it stays fresh; it must be started (it
	 * is a {@code SmartLifecycle}) to serve anything.
	 * @param nearCache the near cache, of this store's namespace
	 */
	public void setNearCache(RedisNearCache nearCache) {
		Assert.isTrue(Arrays.equals(nearCache.getChannel(), this.keys.channel()),
				"The near cache must have the namespace of the store");
		this.nearCache = nearCache;
	}

	/**
	 * Report invalidations and clears that reached Redis to a statistics listener.
	 * @param listener the listener
	 */
	@Override
	public void setStatisticsListener(StatisticsListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.statisticsListener = listener;
	}

	/**
	 * The fleet's statistics in this store's Redis, which every instance sharing the
	 * namespace adds to.
	 * @return the fleet's statistics store
	 */
	@Override
	public FleetStatisticsStore fleetStatisticsStore() {
		return new RedisFleetCounters(this, this.keys, this.metaTtl);
	}

	@Override
	public PageLookup lookup(String key) {
		RedisNearCache near = this.nearCache;
		if (near != null && !isRecoveryPending()) {
			PageLookup held = near.get(key);
			if (held != null) {
				return held;
			}
		}
		if (isRecoveryPending() && !recover(false)) {
			// the cache is about to be cleared because an invalidation was lost
			return new PageLookup(null, 0, null, MissReason.INVALIDATED);
		}
		boolean markers = this.missReasonRetention > 0;
		byte[][] lookupKeys = markers ? this.keys.pageAndMarker(key) : new byte[][] { this.keys.page(key) };
		List<byte[]> values = execute("lookup",
				(connection) -> connection.stringCommands()
					.mGet(markers
							? new byte[][] { lookupKeys[0], this.keys.sequence(), this.keys.epoch(), lookupKeys[1] }
							: new byte[][] { lookupKeys[0], this.keys.sequence(), this.keys.epoch() }));
		byte[] page = values.get(0);
		long sequence = parseSequence(values.get(1));
		byte[] epoch = values.get(2);
		if (epoch == null) {
			execute("lookup", (connection) -> EPOCH.run(connection, ReturnType.INTEGER, 2, this.keys.sequence(),
					this.keys.epoch(), newEpoch(), this.metaTtl, this.keys.channel()));
			return new PageLookup(null, sequence, null, MissReason.FIRST);
		}
		PageEntry entry = decode(page, epoch);
		MissReason reason = (entry != null) ? null : missReason(page, epoch, markers ? values.get(3) : null);
		PageLookup lookup = new PageLookup(entry, sequence, new String(epoch, StandardCharsets.UTF_8), reason);
		if (near != null && entry != null) {
			near.offer(key, lookup, readLong(page, EPOCH_LENGTH) - this.clock.millis());
		}
		return lookup;
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		Assert.isTrue(ttl.toMillis() > 0, "'ttl' must be at least 1 ms");
		String epoch = lookup.epoch();
		if (epoch == null) {
			return false;
		}
		if (isRecoveryPending()) {
			// the lookup predates the clear that recovery makes, so its render must not
			// be stored
			recover(false);
			return false;
		}
		RedisNearCache near = this.nearCache;
		if (near != null) {
			near.remove(key);
		}
		List<String> tags = List.copyOf(entry.tags());
		byte[][] pageAndMarker = this.keys.pageAndMarker(key);
		byte[][] keysAndArgs = new byte[5 + 2 * tags.size() + 10][];
		int i = 0;
		keysAndArgs[i++] = pageAndMarker[0];
		keysAndArgs[i++] = this.keys.sequence();
		keysAndArgs[i++] = this.keys.epoch();
		for (String tag : tags) {
			keysAndArgs[i++] = this.keys.record(tag);
		}
		for (String tag : tags) {
			keysAndArgs[i++] = this.keys.index(epoch, tag);
		}
		keysAndArgs[i++] = pageAndMarker[1];
		keysAndArgs[i++] = this.keys.lease(key);
		int keyCount = i;
		keysAndArgs[i++] = RedisKeys.bytes(epoch);
		keysAndArgs[i++] = number(lookup.sequence());
		keysAndArgs[i++] = number(ttl.toMillis());
		keysAndArgs[i++] = encode(epoch, this.clock.millis() + ttl.toMillis(), entry);
		keysAndArgs[i++] = this.keys.member(key);
		keysAndArgs[i++] = this.metaTtl;
		keysAndArgs[i++] = number(this.missReasonRetention);
		keysAndArgs[i++] = number(routeTagPosition(tags));
		keysAndArgs[i++] = number(this.maxPagesPerRoute);
		keysAndArgs[i] = this.leaseHolder;
		Long stored = execute("put", (connection) -> PUT.run(connection, ReturnType.INTEGER, keyCount, keysAndArgs));
		if (stored != null && stored == 2L) {
			warnRouteAtLimit(tags);
		}
		return stored != null && stored == 1L;
	}

	private static int routeTagPosition(List<String> tags) {
		for (int i = 0; i < tags.size(); i++) {
			if (PageTags.isRoute(tags.get(i))) {
				return i + 1;
			}
		}
		return 0;
	}

	private void warnRouteAtLimit(List<String> tags) {
		long now = this.clock.millis();
		if (now - this.routeLimitWarnedAt > Duration.ofMinutes(1).toMillis()) {
			this.routeLimitWarnedAt = now;
			logger.warn("Page not stored: its route has " + this.maxPagesPerRoute + " pages in Redis already "
					+ "(pagecache.redis.max-pages-per-route); tags " + tags);
		}
	}

	@Override
	public long invalidate(Collection<String> tags) {
		try {
			if (isRecoveryPending()) {
				recover(true);
			}
			List<String> distinct = List.copyOf(new LinkedHashSet<>(tags));
			byte[][] keysAndArgs = new byte[3 + 2 * distinct.size() + 6][];
			int i = 0;
			keysAndArgs[i++] = this.keys.sequence();
			keysAndArgs[i++] = this.keys.epoch();
			keysAndArgs[i++] = this.keys.leases();
			for (String tag : distinct) {
				keysAndArgs[i++] = this.keys.record(tag);
			}
			int keyCount = i;
			keysAndArgs[i++] = number(this.maxRenderTime.toMillis());
			keysAndArgs[i++] = this.metaTtl;
			keysAndArgs[i++] = newEpoch();
			keysAndArgs[i++] = this.keys.prefix();
			keysAndArgs[i++] = number(this.missReasonRetention);
			keysAndArgs[i++] = this.keys.channel();
			for (String tag : distinct) {
				keysAndArgs[i++] = RedisKeys.bytes(tag);
			}
			List<Object> reply = execute("invalidate",
					(connection) -> INVALIDATE.run(connection, ReturnType.MULTI, keyCount, keysAndArgs));
			this.statisticsListener.invalidated(distinct);
			awaitNearCaches(reply);
			return (Long) reply.get(0);
		}
		catch (PageStoreUnavailableException ex) {
			this.lostWrites.incrementAndGet();
			throw ex;
		}
	}

	@Override
	public void clear() {
		long covered = this.lostWrites.get();
		try {
			runClear();
		}
		catch (PageStoreUnavailableException ex) {
			this.lostWrites.incrementAndGet();
			throw ex;
		}
		markCleared(covered);
		this.statisticsListener.cleared();
	}

	@Override
	public List<String> keysTagged(String tag) {
		if (isRecoveryPending()) {
			recover(true);
		}
		List<Object> members = execute("keysTagged", (connection) -> KEYS_TAGGED.run(connection, ReturnType.MULTI, 1,
				this.keys.epoch(), this.keys.prefix(), RedisKeys.bytes(tag)));
		List<String> keys = new ArrayList<>(members.size());
		for (Object member : members) {
			keys.add(this.keys.keyOf((byte[]) member));
		}
		return keys;
	}

	@Override
	public long countTagged(String tag) {
		if (isRecoveryPending()) {
			recover(true);
		}
		Long count = execute("countTagged", (connection) -> COUNT_TAGGED.run(connection, ReturnType.INTEGER, 1,
				this.keys.epoch(), this.keys.prefix(), RedisKeys.bytes(tag)));
		return (count != null) ? count : 0;
	}

	/**
	 * {@code SET {ns}:l:<key> <holder> NX PX <duration>}: the lease of a page, which this
	 * instance holds if it set it.
	 */
	@Override
	public boolean lease(String key, Duration duration) {
		Boolean taken = execute("lease",
				(connection) -> connection.stringCommands()
					.set(this.keys.lease(key), this.leaseHolder, SetCondition.ifAbsent(),
							Expiration.milliseconds(duration.toMillis())));
		return Boolean.TRUE.equals(taken);
	}

	/**
	 * {@code release.lua}: delete the lease of a page if this instance holds it.
	 */
	@Override
	public void release(String key) {
		execute("release",
				(connection) -> RELEASE.run(connection, ReturnType.INTEGER, 1, this.keys.lease(key), this.leaseHolder));
	}

	@Override
	public String getName() {
		return "redis";
	}

	private boolean isRecoveryPending() {
		return this.lostWrites.get() > this.clearedWrites;
	}

	/**
	 * Clear the cache because an invalidation or a clear was lost.
	 * @param wait whether to wait for a recovery that another thread is running
	 * @return {@code true} once nothing is pending, {@code false} if another thread is
	 * still recovering
	 * @throws PageStoreUnavailableException if Redis cannot be reached
	 */
	private boolean recover(boolean wait) {
		if (wait) {
			this.recoveryLock.lock();
		}
		else if (!this.recoveryLock.tryLock()) {
			return false;
		}
		try {
			if (isRecoveryPending()) {
				long covered = this.lostWrites.get();
				runClear();
				markCleared(covered);
			}
			return true;
		}
		finally {
			this.recoveryLock.unlock();
		}
	}

	private void runClear() {
		List<Object> reply = execute("clear",
				(connection) -> CLEAR.run(connection, ReturnType.MULTI, 3, this.keys.sequence(), this.keys.epoch(),
						this.keys.leases(), newEpoch(), this.metaTtl, this.keys.channel()));
		awaitNearCaches(reply);
	}

	/**
	 * Wait until every near cache whose lease ran when an invalidation was recorded has
	 * applied it, or its lease has expired (after which it serves nothing until it has
	 * caught up).
	 * @param reply the script's reply: a count, the counter value, the epoch, the
	 * server's time, then each near cache's name and lease expiry
	 */
	private void awaitNearCaches(List<Object> reply) {
		if (reply.size() <= 4) {
			return;
		}
		long sequence = (Long) reply.get(1);
		String epoch = new String((byte[]) reply.get(2), StandardCharsets.UTF_8);
		long serverTime = (Long) reply.get(3);
		long start = System.nanoTime();
		RedisNearCache near = this.nearCache;
		List<byte[]> names = new ArrayList<>();
		List<Long> deadlines = new ArrayList<>();
		for (int i = 4; i + 1 < reply.size(); i += 2) {
			byte[] name = (byte[]) reply.get(i);
			long deadline = start + TimeUnit.MILLISECONDS.toNanos((Long) reply.get(i + 1) - serverTime);
			if (near != null && near.getName().equals(new String(name, StandardCharsets.UTF_8))) {
				awaitOwn(near, sequence, epoch, deadline);
			}
			else {
				names.add(name);
				deadlines.add(deadline);
			}
		}
		long pause = TimeUnit.MICROSECONDS.toNanos(100);
		while (!names.isEmpty()) {
			byte[][] fields = names.toArray(new byte[0][]);
			List<byte[]> acknowledgements;
			try {
				acknowledgements = execute("invalidate",
						(connection) -> connection.hashCommands().hMGet(this.keys.acknowledgements(), fields));
			}
			catch (PageStoreUnavailableException ex) {
				return; // the near caches cannot renew their leases either
			}
			long now = System.nanoTime();
			for (int i = names.size() - 1; i >= 0; i--) {
				if (acknowledges(acknowledgements.get(i), sequence, epoch) || now - deadlines.get(i) >= 0) {
					names.remove(i);
					deadlines.remove(i);
				}
			}
			if (!names.isEmpty()) {
				LockSupport.parkNanos(pause);
				pause = Math.min(pause * 2, LONGEST_ACKNOWLEDGEMENT_POLL_NANOS);
			}
		}
	}

	private static void awaitOwn(RedisNearCache near, long sequence, String epoch, long deadline) {
		long pause = TimeUnit.MICROSECONDS.toNanos(50);
		while (!near.hasApplied(sequence, epoch) && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(pause);
			pause = Math.min(pause * 2, LONGEST_ACKNOWLEDGEMENT_POLL_NANOS);
		}
	}

	private static boolean acknowledges(byte @Nullable [] acknowledgement, long sequence, String epoch) {
		if (acknowledgement == null) {
			return false;
		}
		String value = new String(acknowledgement, StandardCharsets.UTF_8);
		int lineBreak = value.indexOf('\n');
		if (lineBreak < 0 || !value.substring(lineBreak + 1).equals(epoch)) {
			return false;
		}
		try {
			return Long.parseLong(value.substring(0, lineBreak)) >= sequence;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	private synchronized void markCleared(long covered) {
		if (covered > this.clearedWrites) {
			this.clearedWrites = covered;
		}
	}

	<T> T execute(String operation, Function<RedisConnection, T> action) {
		CircuitBreaker breaker = this.circuitBreaker;
		if (!breaker.tryAcquire()) {
			throw new PageStoreUnavailableException(
					"Redis page store " + operation + " not attempted: circuit breaker open after repeated failures");
		}
		boolean failed = true;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			T result = action.apply(connection);
			failed = false;
			return result;
		}
		catch (RuntimeException ex) {
			// DataAccessException from the driver, or the factory's own state (stopped,
			// not started): either
			// way the request is served without the cache
			throw new PageStoreUnavailableException("Redis page store " + operation + " failed: " + ex.getMessage(),
					ex);
		}
		finally {
			if (failed) {
				breaker.onFailure();
			}
			else {
				breaker.onSuccess();
			}
		}
	}

	private static @Nullable PageEntry decode(byte @Nullable [] page, byte[] epoch) {
		if (page == null || epoch.length != EPOCH_LENGTH || page.length < HEADER_LENGTH
				|| !Arrays.equals(page, 0, EPOCH_LENGTH, epoch, 0, EPOCH_LENGTH)) {
			return null;
		}
		return PageEntryCodec.decode(page, HEADER_LENGTH);
	}

	private static byte[] encode(String epoch, long expiresAt, PageEntry entry) {
		byte[] prefix = RedisKeys.bytes(epoch);
		byte[] value = PageEntryCodec.encode(entry, prefix.length + Long.BYTES);
		ByteBuffer.wrap(value).put(prefix).putLong(expiresAt);
		return value;
	}

	private static long readLong(byte[] value, int offset) {
		return ByteBuffer.wrap(value, offset, Long.BYTES).getLong();
	}

	/**
	 * Why a page was not found, from the page's value (of an earlier epoch, or
	 * unreadable) or its marker.
	 */
	private MissReason missReason(byte @Nullable [] page, byte[] epoch, byte @Nullable [] marker) {
		if (page != null) {
			// a page of an earlier epoch was dropped by a clear; one of this epoch is in
			// a format this version
			// does not read, so this version never rendered it
			return hasEpoch(page, 0, epoch) ? MissReason.FIRST : MissReason.INVALIDATED;
		}
		if (marker == null || marker.length == 0) {
			return MissReason.FIRST;
		}
		if (marker[0] == 'i') {
			return MissReason.INVALIDATED;
		}
		long expiresAt = parseDigits(marker, 1 + EPOCH_LENGTH);
		if (marker[0] != 's' || expiresAt < 0) {
			return MissReason.FIRST;
		}
		if (expiresAt <= this.clock.millis() + EXPIRY_TOLERANCE_MILLIS) {
			return MissReason.EXPIRED;
		}
		return hasEpoch(marker, 1, epoch) ? MissReason.EVICTED : MissReason.INVALIDATED;
	}

	private static boolean hasEpoch(byte[] value, int offset, byte[] epoch) {
		return epoch.length == EPOCH_LENGTH && value.length >= offset + EPOCH_LENGTH
				&& Arrays.equals(value, offset, offset + EPOCH_LENGTH, epoch, 0, EPOCH_LENGTH);
	}

	/**
	 * The decimal number from an offset to the end, without allocating; -1 if there is
	 * none.
	 */
	private static long parseDigits(byte[] value, int offset) {
		if (value.length <= offset || value.length - offset > 18) {
			return -1;
		}
		long result = 0;
		for (int i = offset; i < value.length; i++) {
			int digit = value[i] - '0';
			if (digit < 0 || digit > 9) {
				return -1;
			}
			result = result * 10 + digit;
		}
		return result;
	}

	private static long parseSequence(byte @Nullable [] value) {
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

	private static byte[] newEpoch() {
		byte[] bytes = new byte[EPOCH_LENGTH * 3 / 4];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encode(bytes);
	}

	private static byte[] number(long value) {
		return RedisKeys.bytes(Long.toString(value));
	}

}
