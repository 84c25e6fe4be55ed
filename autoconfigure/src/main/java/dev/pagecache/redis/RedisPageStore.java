package dev.pagecache.redis;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageEntryCodec;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreUnavailableException;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;

/**
 * A {@link PageStore} in Redis, shared by every instance of an application. Guarded stores and
 * invalidations are Lua scripts, so each operation is one round trip and atomic on the server.
 * <p>
 * All keys of a namespace {@code ns} share the hash tag {@code {ns}}, so the scripts may touch them
 * together on a single primary (or a Sentinel-managed one). Every key has a TTL. The layout, as the
 * commands that write it:
 * <p>
 * The <b>epoch</b>, 16 random characters that change when the store is cleared or has lost its data, and
 * the <b>invalidation counter</b>. Both live for 30 days, a TTL every write refreshes; if they expire
 * nevertheless, the epoch changes and every page becomes a miss, which is safe:
 *
 * <pre class="code">
 * SET {ns}:epoch Xq3mX9a_E2lT0pVb NX PX 2592000000
 * SET {ns}:seq 0 NX PX 2592000000
 * </pre>
 *
 * A <b>page</b> is the current epoch followed by the {@linkplain PageEntryCodec encoded entry}, with the
 * entry's TTL. A key of at most 200 UTF-8 bytes is kept readable; a longer one is replaced by its SHA-256
 * digest, base64url without padding, so that keys stay bounded:
 *
 * <pre class="code">
 * SET {ns}:p:&lt;key&gt; "Xq3mX9a_E2lT0pVb" + entry PX 600000
 * SET {ns}:h:xMpCOKC5I4INzFCab3WEmw9mdI1vVPkCfN4A8nZVlU8 "Xq3mX9a_E2lT0pVb" + entry PX 600000
 * </pre>
 *
 * The <b>index of a tag</b> in an epoch: a sorted set of the pages that carry the tag, scored by their
 * expiry time in milliseconds on the Redis server's clock (the clock that expires the pages, so that
 * instances with skewed clocks cannot prune a member whose page still lives). Its members give both the
 * Redis key and the readable key: {@code p:<key>} for a readable key, {@code h:<digest>:<key>} for a
 * digested one. Each add prunes expired members, and the index lives at least as long as the longest
 * entry it holds. Because the epoch is part of its name, a {@link #clear()} leaves the old indexes behind
 * to expire, unread:
 *
 * <pre class="code">
 * ZREMRANGEBYSCORE {ns}:t:Xq3mX9a_E2lT0pVb:Post#42 -inf (1767225600000
 * ZADD {ns}:t:Xq3mX9a_E2lT0pVb:Post#42 1767226200000 "p:&lt;key&gt;"
 * PEXPIRE {ns}:t:Xq3mX9a_E2lT0pVb:Post#42 600000
 * </pre>
 *
 * The <b>last invalidation of a tag</b>: the counter's value when the tag was last invalidated, kept as
 * long as a render may take ({@code maxRenderTime}; a render that takes longer must not be stored, which
 * the caller checks):
 *
 * <pre class="code">
 * SET {ns}:s:Post#42 17 PX 10000
 * </pre>
 *
 * The operations:
 * <ul>
 * <li>{@link #lookup(String)}: {@code MGET {ns}:p:<key> {ns}:seq {ns}:epoch}. A hit only when the page
 * starts with the current epoch and decodes (an entry in an unknown format is a miss). When the epoch is
 * missing, {@code epoch.lua} creates it and the counter as above, and the lookup carries no epoch, so
 * its render is not stored.</li>
 * <li>{@link #put(String, PageEntry, Duration, PageLookup) put}: {@code put.lua} refuses (returns 0)
 * when the epoch differs from the lookup's, the counter is missing, or any tag's {@code {ns}:s:<tag>} is
 * greater than the lookup's sequence; otherwise it writes the page, adds it to the index of each of its
 * tags and refreshes the TTL of the epoch and the counter.</li>
 * <li>{@link #invalidate(Collection)}: {@code invalidate.lua} runs {@code INCR {ns}:seq}, sets each
 * tag's {@code {ns}:s:<tag>} to the new value, deletes the pages of each tag's index in the current
 * epoch in batches of at most 1000 ({@code ZRANGE}, {@code DEL}), deletes the index and returns how many
 * pages it deleted. If the counter had been lost, the epoch is replaced as well, since sequence numbers
 * read before would compare against a counter that started over.</li>
 * <li>{@link #clear()}: {@code clear.lua} runs {@code INCR {ns}:seq} and replaces the epoch: every
 * page becomes a miss and no render that started before is stored.</li>
 * <li>{@link #keysTagged(String)}: {@code keys.lua} reads the members of the tag's index in the current
 * epoch whose score is after the server's {@code TIME} and whose page still exists (a page deleted through
 * one of its tags stays a member of its other tags' indexes until they are pruned).</li>
 * </ul>
 * Scripts are read once from this package's resources and sent with {@code EVALSHA}, falling back to
 * {@code EVAL} on {@code NOSCRIPT}. They run on Redis 6.2 and 7: no {@code KEYS}, no keyspace
 * notifications, no function flags. {@code invalidate.lua} and {@code keys.lua} derive index and page
 * keys from the stored epoch and index members; those keys are not declared, but share the hash tag of
 * the declared ones. A page stored again under other tags stays in the indexes of its former tags until
 * it expires, so invalidating one of those drops it too: more than necessary, never less. Since every key
 * has a TTL, memory stays bounded without eviction; a {@code maxmemory-policy} that evicts may drop an
 * index or a tag record before the pages it guards, so that a page survives its invalidation:
 * {@code noeviction} is the safe policy.
 * <p>
 * Failures: any Redis exception (refused connection, timeout, disconnection) becomes a
 * {@link PageStoreUnavailableException}. After a number of consecutive failures (3 by default), a circuit
 * breaker fails every call fast for an open duration (1 second by default), then lets one call probe the
 * server. An invalidation or a clear that failed is not dropped: the store remembers it and, before it
 * serves anything once Redis answers again, clears the whole cache (a new epoch); until that clear has
 * succeeded, lookups return no hit and carry no epoch, so that nothing is stored either.
 *
 * @author pagecache
 * @see PageEntryCodec
 */
public final class RedisPageStore implements PageStore {

	static final int EPOCH_LENGTH = 16;

	static final Duration META_TTL = Duration.ofDays(30);

	private static final int DEFAULT_FAILURE_THRESHOLD = 3;

	private static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(1);

	private static final LuaScript PUT = LuaScript.load("put");

	private static final LuaScript INVALIDATE = LuaScript.load("invalidate");

	private static final LuaScript CLEAR = LuaScript.load("clear");

	private static final LuaScript EPOCH = LuaScript.load("epoch");

	private static final LuaScript KEYS_TAGGED = LuaScript.load("keys");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final byte[] metaTtl = number(META_TTL.toMillis());

	private volatile CircuitBreaker circuitBreaker;

	/** Invalidations and clears that failed, counted. */
	private final AtomicLong lostWrites = new AtomicLong();

	/** The value of {@link #lostWrites} that the last successful clear covers. */
	private volatile long clearedWrites;

	private final ReentrantLock recoveryLock = new ReentrantLock();

	/**
	 * Create a store.
	 * @param connectionFactory the connection factory, preferably with the client settings of
	 * {@code pagecache} (rejecting commands while disconnected, a short command timeout)
	 * @param namespace the namespace of the keys, without braces
	 * @param maxRenderTime the longest render whose result may still be stored: how long a tag's last
	 * invalidation is remembered
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
	 * Configure the circuit breaker: after {@code failureThreshold} consecutive failures, calls fail fast
	 * for {@code openDuration}, then one call probes Redis. Defaults to 3 failures and 1 second.
	 * @param failureThreshold the consecutive failures that open the breaker
	 * @param openDuration how long the breaker stays open before a probe
	 */
	public void setCircuitBreaker(int failureThreshold, Duration openDuration) {
		this.circuitBreaker = new CircuitBreaker(failureThreshold, openDuration, this.clock);
	}

	@Override
	public PageLookup lookup(String key) {
		if (isRecoveryPending() && !recover(false)) {
			return new PageLookup(null, 0, null);
		}
		byte[] pageKey = this.keys.page(key);
		List<byte[]> values = execute("lookup",
				(connection) -> connection.stringCommands().mGet(pageKey, this.keys.sequence(), this.keys.epoch()));
		byte[] page = values.get(0);
		long sequence = parseSequence(values.get(1));
		byte[] epoch = values.get(2);
		if (epoch == null) {
			execute("lookup", (connection) -> EPOCH.run(connection, ReturnType.INTEGER, 2, this.keys.sequence(),
					this.keys.epoch(), newEpoch(), this.metaTtl));
			return new PageLookup(null, sequence, null);
		}
		return new PageLookup(decode(page, epoch), sequence, new String(epoch, StandardCharsets.UTF_8));
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		Assert.isTrue(ttl.toMillis() > 0, "'ttl' must be at least 1 ms");
		String epoch = lookup.epoch();
		if (epoch == null) {
			return false;
		}
		if (isRecoveryPending()) {
			// the lookup predates the clear that recovery makes, so its render must not be stored
			recover(false);
			return false;
		}
		List<String> tags = List.copyOf(entry.tags());
		byte[][] keysAndArgs = new byte[3 + 2 * tags.size() + 6][];
		int i = 0;
		keysAndArgs[i++] = this.keys.page(key);
		keysAndArgs[i++] = this.keys.sequence();
		keysAndArgs[i++] = this.keys.epoch();
		for (String tag : tags) {
			keysAndArgs[i++] = this.keys.record(tag);
		}
		for (String tag : tags) {
			keysAndArgs[i++] = this.keys.index(epoch, tag);
		}
		int keyCount = i;
		keysAndArgs[i++] = RedisKeys.bytes(epoch);
		keysAndArgs[i++] = number(lookup.sequence());
		keysAndArgs[i++] = number(ttl.toMillis());
		keysAndArgs[i++] = encode(epoch, entry);
		keysAndArgs[i++] = this.keys.member(key);
		keysAndArgs[i] = this.metaTtl;
		Long stored = execute("put", (connection) -> PUT.run(connection, ReturnType.INTEGER, keyCount, keysAndArgs));
		return stored != null && stored == 1L;
	}

	@Override
	public long invalidate(Collection<String> tags) {
		try {
			if (isRecoveryPending()) {
				recover(true);
			}
			List<String> distinct = List.copyOf(new LinkedHashSet<>(tags));
			byte[][] keysAndArgs = new byte[2 + 2 * distinct.size() + 4][];
			int i = 0;
			keysAndArgs[i++] = this.keys.sequence();
			keysAndArgs[i++] = this.keys.epoch();
			for (String tag : distinct) {
				keysAndArgs[i++] = this.keys.record(tag);
			}
			int keyCount = i;
			keysAndArgs[i++] = number(this.maxRenderTime.toMillis());
			keysAndArgs[i++] = this.metaTtl;
			keysAndArgs[i++] = newEpoch();
			keysAndArgs[i++] = this.keys.prefix();
			for (String tag : distinct) {
				keysAndArgs[i++] = RedisKeys.bytes(tag);
			}
			Long deleted = execute("invalidate",
					(connection) -> INVALIDATE.run(connection, ReturnType.INTEGER, keyCount, keysAndArgs));
			return (deleted != null) ? deleted : 0;
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
	}

	@Override
	public List<String> keysTagged(String tag) {
		if (isRecoveryPending()) {
			recover(true);
		}
		List<Object> members = execute("keysTagged", (connection) -> KEYS_TAGGED.run(connection, ReturnType.MULTI,
				1, this.keys.epoch(), this.keys.prefix(), RedisKeys.bytes(tag)));
		List<String> keys = new ArrayList<>(members.size());
		for (Object member : members) {
			keys.add(this.keys.keyOf((byte[]) member));
		}
		return keys;
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
	 * @return {@code true} once nothing is pending, {@code false} if another thread is still recovering
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
		execute("clear", (connection) -> CLEAR.run(connection, ReturnType.INTEGER, 2, this.keys.sequence(),
				this.keys.epoch(), newEpoch(), this.metaTtl));
	}

	private synchronized void markCleared(long covered) {
		if (covered > this.clearedWrites) {
			this.clearedWrites = covered;
		}
	}

	private <T> T execute(String operation, Function<RedisConnection, T> action) {
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
			// DataAccessException from the driver, or the factory's own state (stopped, not started): either
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
		if (page == null || epoch.length != EPOCH_LENGTH || page.length < EPOCH_LENGTH
				|| !Arrays.equals(page, 0, EPOCH_LENGTH, epoch, 0, EPOCH_LENGTH)) {
			return null;
		}
		return PageEntryCodec.decode(Arrays.copyOfRange(page, EPOCH_LENGTH, page.length));
	}

	private static byte[] encode(String epoch, PageEntry entry) {
		byte[] prefix = RedisKeys.bytes(epoch);
		byte[] encoded = PageEntryCodec.encode(entry);
		byte[] value = Arrays.copyOf(prefix, prefix.length + encoded.length);
		System.arraycopy(encoded, 0, value, prefix.length, encoded.length);
		return value;
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
