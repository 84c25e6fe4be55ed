package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.FleetStatisticsStore;
import dev.pagecache.store.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsPageStore;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * A {@link PageStore} in Redis, shared by every instance of an application. Guarded
 * stores and invalidations are Lua scripts, so each operation is one round trip and
 * atomic on the server.
 * <p>
 * All keys of a namespace {@code ns} share the hash tag {@code {ns}}, so the scripts may
 * touch them together on a single primary (or a Sentinel-managed one). Every key has a
 * TTL. This is key layout 3 and page value version 2. Layout 3 keeps the last
 * invalidation of each tag in the tag state of the epoch instead of layout 2's
 * {@code {ns}:tag-invalidated:<tag>} keys: the first lookup of layout 3 begins a new
 * epoch (layout 2 wrote no replication id), so layout 2's pages become misses, but the
 * layouts miss each other's invalidations, so instances move to layout 3 all at once (or
 * to a new namespace). The layout:
 * <p>
 * The <b>epoch</b>, 16 random characters replaced when the store is cleared or has lost
 * data, the <b>replication id</b> of the server it was begun on ({@code master_replid} of
 * {@code INFO replication}, which a promoted replica and a restart without the data's
 * history replace), and the <b>invalidation counter</b>, with a TTL of 30 days that
 * writes refresh (if they expire nevertheless, every page becomes a miss, which is safe):
 *
 * <pre class="code">
 * SET {ns}:epoch Xq3mX9a_E2lT0pVb PX 2592000000
 * SET {ns}:replication 6f2c0e0bb4d1f2a3c2b1e0f9d8c7b6a5f4e3d2c1 PX 2592000000
 * SET {ns}:sequence 0 NX PX 2592000000
 * </pre>
 *
 * A <b>page</b>, under its <em>page id</em>: {@code page:<key>} for a key of at most 200
 * UTF-8 bytes, {@code page-sha256:<digest>} (base64url without padding) for a longer one,
 * so that keys stay bounded. Its value ({@code PageValue}) is the format version, the
 * current epoch, the page's expiry in epoch milliseconds (8 bytes, big-endian, on the
 * writer's clock) and the encoded entry, with the entry's TTL:
 *
 * <pre class="code">
 * SET {ns}:page:&lt;key&gt; 0x02 + "Xq3mX9a_E2lT0pVb" + expiry + entry PX 600000
 * SET {ns}:page-sha256:xMpCOKC5I4INzFCab3WEmw9mdI1vVPkCfN4A8nZVlU8 0x02 + ... PX 600000
 * </pre>
 *
 * The page expires at an instant on the Redis server's clock, with the list of its
 * <b>tags</b> beside it:
 *
 * <pre class="code">
 * SET {ns}:page:&lt;key&gt; 0x02 + ... PXAT 1767226200000
 * SET {ns}:page-tags:page:&lt;key&gt; "route:/posts/{id}\nPost#42" PXAT 1767226200000
 * </pre>
 *
 * The <b>index of a tag</b> in an epoch: a sorted set of the pages that carry the tag,
 * scored by their expiry on the Redis server's clock (which expires the pages, so that
 * skewed instances cannot prune a live member). A member is the page id, followed by
 * {@code :<key>} for a digested one. Each add prunes expired members; the index expires
 * with its last page. A {@link #clear()} leaves the old epoch's indexes to expire,
 * unread:
 *
 * <pre class="code">
 * ZREMRANGEBYSCORE {ns}:tag:Xq3mX9a_E2lT0pVb:Post#42 -inf (1767225600000
 * ZADD {ns}:tag:Xq3mX9a_E2lT0pVb:Post#42 1767226200000 "page:&lt;key&gt;"
 * PEXPIREAT {ns}:tag:Xq3mX9a_E2lT0pVb:Post#42 1767226200000
 * </pre>
 *
 * The <b>tag state</b> of an epoch: for each tag, until when pages that carry it may
 * exist (so its index must), the counter value and time of its last invalidation (kept at
 * least as long as a render may take, {@code maxRenderTime}; the caller does not store a
 * longer render), and until when pages may carry it outside its index (orphans of an
 * evicted index). Its field {@code ""} holds the epoch from the epoch's first moment, so
 * that a lost hash is told apart from an empty one:
 *
 * <pre class="code">
 * HSET {ns}:tag-state:Xq3mX9a_E2lT0pVb "" Xq3mX9a_E2lT0pVb
 * HSET {ns}:tag-state:Xq3mX9a_E2lT0pVb Post#42 "1767226200000:17:1767225500000:0"
 * </pre>
 *
 * The <b>render lease of a page</b> ({@link #lease(String, Duration)}): which instance
 * renders it now, given back by the store that follows or by {@link #release(String)}:
 *
 * <pre class="code">
 * SET {ns}:render-lease:page:&lt;key&gt; "hT3e0aPq9xZc0aPq" NX PX 2000
 * </pre>
 *
 * The <b>miss reason of a page</b> ({@code MissMarker}), only with a
 * {@linkplain #setMissReasonRetention(Duration) retention} {@code r}: a store writes
 * {@code s}, the epoch and the page's expiry, living {@code r} longer than the page; an
 * invalidation that deletes the page replaces it with {@code i}, living {@code r}:
 *
 * <pre class="code">
 * SET {ns}:miss-reason:page:&lt;key&gt; "sXq3mX9a_E2lT0pVb1767226200000" PX 4200000
 * SET {ns}:miss-reason:page:&lt;key&gt; "i" PX 3600000
 * </pre>
 *
 * The <b>statistics of the fleet</b> ({@code stats.lua}, never on the request path): one
 * hash of counters that every instance adds to, fields a counter's name and a page's URL
 * pattern or an entity type:
 *
 * <pre class="code">
 * HINCRBY {ns}:stats "hits|/posts/{id}" 120
 * PEXPIRE {ns}:stats 2592000000
 * </pre>
 *
 * The <b>near caches</b> ({@link #setNearCache}): their registrations (expiry on the
 * server's clock), the last invalidation each applied, and the channel of every
 * invalidation, clear and ping ({@code NearCacheMessage}):
 *
 * <pre class="code">
 * HSET {ns}:near-cache:instances "hT3e0aPq9xZc" 1767226201000
 * HSET {ns}:near-cache:acknowledged "hT3e0aPq9xZc" "17\nXq3mX9a_E2lT0pVb"
 * PUBLISH {ns}:near-cache "i\n17\nXq3mX9a_E2lT0pVb\nPost#42"
 * </pre>
 *
 * The operations (each script's header lists its keys and arguments):
 * <ul>
 * <li>{@link #lookup(String)}: an {@code MGET} of the page, the counter, the epoch and
 * its replication id (and {@code {ns}:miss-reason:<page id>} when miss reasons are
 * written), then {@code INFO replication} for the server's replication id, sent together:
 * one round trip. A hit only when the value is of this version, of the current epoch and
 * decodes, and the epoch was begun on this server's replication history. A missing epoch,
 * one without its counter and one of another history are replaced
 * ({@code create-epoch.lua}) and the lookup carries none, so its render is not stored.
 * Why a page missed: {@code MissMarker}.</li>
 * <li>{@link #put(String, PageEntry, Duration, PageLookup) put}: {@code put.lua} refuses
 * when the epoch differs from the lookup's, the counter or the replication id is not the
 * server's, or any tag was invalidated past the lookup's sequence; when the tag state is
 * missing, it also forgets the epoch. A tag whose index is gone though its state expects
 * pages is marked as having orphans until those pages expire. When the page is new to a
 * route that has {@linkplain #setMaxPagesPerRoute(int) its most pages}, it deletes the
 * least used of a sample of the route's pages (by {@code OBJECT IDLETIME}, or
 * {@code OBJECT FREQ} under an LFU policy) with its records. Then it writes the page, its
 * tags, its index members and its tags' state, and gives this instance's render lease
 * back.</li>
 * <li>{@link #invalidate(Collection)}: {@code invalidate.lua} increments the counter,
 * records it in each tag's state, deletes the pages of each tag's index in batches of
 * 1000 and the index, and publishes the invalidation to the near caches. A lost counter,
 * a lost tag state, an index that the state expects but that is gone, or a tag with
 * orphans replaces the epoch too. Out of memory (no write accepted), it deletes the tags'
 * pages and the epoch, which turns every page into a miss until memory frees. The store
 * then waits for the registered near caches ({@code AcknowledgementWait}).
 * {@link #clear()}: {@code clear.lua} increments the counter and begins a new epoch.</li>
 * <li>{@link #keysTagged(String)}, {@link #countTagged(String)}: {@code tagged.lua} and
 * {@code count-tagged.lua} read the members of the tag's index, in the current epoch,
 * that have not expired on the server's {@code TIME} and whose page still exists, never
 * more than a bounded number per run: a full list is read in slices of 1000 members, a
 * count checks at most 32 of them (spread over the index) and estimates beyond.</li>
 * </ul>
 * Scripts are read once, those that derive keys preceded by {@code library.lua} and the
 * key names of {@code RedisKeys}, and sent with {@code EVALSHA}, falling back to
 * {@code EVAL} on {@code NOSCRIPT}. They run on Redis 6.2 and 7: no {@code KEYS}, no
 * keyspace notifications, no functions. Keys derived in a script share the hash tag of
 * the declared ones. A page stored again under other tags stays in its former tags'
 * indexes until it expires: an invalidation drops more than necessary, never less. Every
 * key has a TTL, so every key may be evicted under any {@code maxmemory-policy}; losing
 * any of them costs misses, never a stale hit: a lost page or miss reason is a miss; a
 * lost counter, epoch, replication id or tag state, or a lost index whose tag is then
 * invalidated, replaces the epoch.
 * <p>
 * Failures: any Redis exception becomes a {@link PageStoreUnavailableException}, and
 * repeated ones open a circuit breaker ({@code GuardedRedis}). An invalidation or a clear
 * that failed is not dropped: the whole cache is cleared before anything is served or
 * stored again ({@code LostInvalidationRecovery}).
 *
 * @author pagecache
 */
final class RedisPageStore implements PageStore, StatisticsPageStore {

	private final GuardedRedis redis;

	private final RedisKeys keys;

	private final StoreCommands commands;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final LostInvalidationRecovery recovery;

	private final AcknowledgementWait acknowledgements;

	/** The most pages a route may have; 0 for no limit. */
	private volatile int maxPagesPerRoute;

	/** How long a page's miss reason outlives it in ms; 0 when none are written. */
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
	RedisPageStore(RedisConnectionFactory connectionFactory, String namespace, Duration maxRenderTime, Clock clock) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.isTrue(maxRenderTime.toMillis() > 0, "'maxRenderTime' must be at least 1 ms");
		Assert.notNull(clock, "'clock' must not be null");
		this.redis = new GuardedRedis(connectionFactory, clock);
		this.keys = new RedisKeys(namespace);
		this.commands = new StoreCommands(this.redis, this.keys);
		this.maxRenderTime = maxRenderTime;
		this.clock = clock;
		this.recovery = new LostInvalidationRecovery(this::runClear);
		this.acknowledgements = new AcknowledgementWait(this.commands::readApplied);
	}

	/**
	 * Configure the circuit breaker: after {@code failureThreshold} consecutive failures
	 * (3), calls fail fast for {@code openDuration} (1 second), then one probes Redis.
	 * @param failureThreshold the consecutive failures that open the breaker
	 * @param openDuration how long the breaker stays open before a probe
	 */
	void setCircuitBreaker(int failureThreshold, Duration openDuration) {
		this.redis.setCircuitBreaker(failureThreshold, openDuration);
	}

	/**
	 * Limit the pages each route may have at a time, so that requests for ever new URLs
	 * of a route (random ids, host names, locales) cannot fill Redis: a page past the
	 * limit is not stored. The route's index counts the pages stored within their TTL. No
	 * limit by default.
	 * @param maxPagesPerRoute the most pages of one route; 0 for no limit
	 */
	void setMaxPagesPerRoute(int maxPagesPerRoute) {
		Assert.isTrue(maxPagesPerRoute >= 0, "'maxPagesPerRoute' must not be negative");
		this.maxPagesPerRoute = maxPagesPerRoute;
	}

	/**
	 * Write a miss reason with each page that says, once the page is gone, why it went,
	 * so that lookups report why they missed. Off (zero) by default: none is written nor
	 * read.
	 * @param retention how long a miss reason outlives its page
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
	void setNearCache(RedisNearCache nearCache) {
		Assert.isTrue(Arrays.equals(nearCache.getChannel(), this.keys.nearCacheChannel()),
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
	 * The fleet's statistics, which every instance sharing the namespace adds to.
	 * @return the fleet's statistics store
	 */
	@Override
	public FleetStatisticsStore fleetStatisticsStore() {
		return new RedisFleetStatisticsStore(this.redis, this.keys,
				RedisKeys.number(StoreCommands.META_TTL.toMillis()));
	}

	@Override
	public PageLookup lookup(String key) {
		RedisNearCache near = this.nearCache;
		if (near != null && !this.recovery.isPending()) {
			PageLookup held = near.get(key);
			if (held != null) {
				return held;
			}
		}
		if (!this.recovery.recover(false)) {
			// the cache is about to be cleared because an invalidation was lost
			return new PageLookup(null, 0, null, MissReason.INVALIDATED);
		}
		boolean withMissReason = this.missReasonRetention > 0;
		List<byte @Nullable []> values = this.commands.lookup(key, withMissReason);
		byte[] value = values.get(0);
		long sequence = StoreCommands.parseSequence(values.get(1));
		byte[] epoch = values.get(2);
		if (epoch == null || values.get(1) == null) {
			this.commands.createEpoch();
			return new PageLookup(null, sequence, null, MissReason.FIRST);
		}
		PageEntry entry = PageValue.decode(value, epoch);
		if (entry == null) {
			MissReason reason = MissMarker.reason(value, epoch, withMissReason ? values.get(3) : null,
					this.clock.millis());
			return new PageLookup(null, sequence, new String(epoch, StandardCharsets.UTF_8), reason);
		}
		PageLookup lookup = new PageLookup(entry, sequence, new String(epoch, StandardCharsets.UTF_8), null);
		if (near != null && value != null) {
			near.offer(key, lookup, PageValue.expiresAt(value) - this.clock.millis());
		}
		return lookup;
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		Assert.isTrue(ttl.toMillis() > 0, "'ttl' must be at least 1 ms");
		String epoch = lookup.epoch();
		if (epoch == null || !PageValue.isEpoch(epoch)) {
			return false;
		}
		if (this.recovery.isPending()) {
			// the lookup predates the clear that recovery makes, so its render must not
			// be stored
			this.recovery.recover(false);
			return false;
		}
		RedisNearCache near = this.nearCache;
		if (near != null) {
			near.remove(key);
		}
		List<String> tags = List.copyOf(entry.tags());
		byte[] value = PageValue.encode(epoch, this.clock.millis() + ttl.toMillis(), entry);
		return this.commands.put(key, value, tags, ttl, epoch, lookup.sequence(), new StoreCommands.PutSettings(
				this.missReasonRetention, this.maxPagesPerRoute, this.maxRenderTime.toMillis()));
	}

	@Override
	public long invalidate(Collection<String> tags) {
		try {
			this.recovery.recover(true);
			List<String> distinct = List.copyOf(new LinkedHashSet<>(tags));
			List<Object> reply = this.commands.invalidate(distinct, this.missReasonRetention);
			this.statisticsListener.invalidated(distinct);
			this.acknowledgements.await(reply, this.nearCache);
			return (Long) reply.get(0);
		}
		catch (PageStoreUnavailableException ex) {
			this.recovery.lost();
			throw ex;
		}
	}

	@Override
	public void clear() {
		this.recovery.clearNow();
		this.statisticsListener.cleared();
	}

	private void runClear() {
		this.acknowledgements.await(this.commands.clear(), this.nearCache);
	}

	@Override
	public List<String> keysTagged(String tag) {
		this.recovery.recover(true);
		return this.commands.keysTagged(tag);
	}

	@Override
	public List<String> keysTagged(String tag, int limit) {
		this.recovery.recover(true);
		return this.commands.keysTagged(tag, limit);
	}

	@Override
	public PageCount countTagged(String tag) {
		this.recovery.recover(true);
		return this.commands.countTagged(tag);
	}

	/**
	 * {@code SET {ns}:render-lease:<page id> <holder> NX PX <duration>}: the render lease
	 * of a page, which this instance holds if it set it.
	 */
	@Override
	public boolean lease(String key, Duration duration) {
		return this.commands.takeRenderLease(key, duration);
	}

	/**
	 * {@code release.lua}: delete the render lease of a page if this instance holds it.
	 */
	@Override
	public void release(String key) {
		this.commands.releaseRenderLease(key);
	}

	@Override
	public String getName() {
		return "redis";
	}

}
