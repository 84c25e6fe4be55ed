package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;
import dev.pagecache.store.PageLookup.MissReason;
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
 * All keys of a namespace share one hash tag, and every key has a TTL: the key layout
 * (version 3) and the page value (version 3) are described in the
 * {@linkplain dev.pagecache.redis package documentation}.
 * <p>
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
 * pages is marked as having orphans until those pages expire, and so is the epoch. When
 * the page is new to a route that has {@linkplain #setMaxPagesPerRoute(int) its most
 * pages}, it deletes the least used of a sample of the route's pages (by
 * {@code OBJECT IDLETIME}, or {@code OBJECT FREQ} under an LFU policy) with its records.
 * Then it writes the page, its tags, its index members and its tags' state, and gives
 * this instance's render lease back.</li>
 * <li>{@link #invalidate(Collection)}: {@code invalidate.lua} increments the counter,
 * records it in each tag's state, deletes the pages of each tag's index in batches of
 * 1000 and the index, and publishes the invalidation to the near caches. A lost counter
 * or a lost tag state replaces the epoch too; an index that the state expects but that is
 * gone marks the epoch as having orphans, as a put does. Out of memory (no write
 * accepted), it deletes the tags' pages and the epoch, which turns every page into a miss
 * until memory frees. With a
 * {@linkplain #setDroppedPagesListener(Collection, DroppedPagesListener) dropped pages
 * listener}, it deletes page by page and replies, for each reported tag, with the index
 * members of the pages it deleted that carry the tag ({@code ZSCORE}), which the listener
 * is given. The store then waits for the registered near caches
 * ({@code AcknowledgementWait}), then hands the hot pages it deleted (by their score in
 * {@code {ns}:hot}: {@code RedisHotPages}) to the refresh listener. {@link #clear()}:
 * {@code clear.lua} increments the counter and begins a new epoch.</li>
 * <li>{@link #keysTagged(String)}, {@link #countTagged(String)}: {@code tagged.lua} and
 * {@code count-tagged.lua} read the members of the tag's index, in the current epoch,
 * that have not expired on the server's {@code TIME} and whose page still exists, never
 * more than a bounded number per run: a full list is read in slices of 1000 members, a
 * count checks at most 32 of them (spread over the index) and estimates beyond.</li>
 * <li>{@link #tagsOf(List)}: one {@code MGET} of the pages' {@code {ns}:page-tags:<page
 * id>} keys.</li>
 * </ul>
 * How scripts are sent, and what the loss of each key costs: the package documentation.
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

	private final LookupCommands lookups;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final LostInvalidationRecovery recovery;

	private final AcknowledgementWait acknowledgements;

	private final RedisHotPages hotPages;

	/** The most pages a route may have; 0 for no limit. */
	private volatile int maxPagesPerRoute;

	/** How long a page's miss reason outlives it in ms; 0 when none are written. */
	private volatile long missReasonRetention;

	private volatile StatisticsListener statisticsListener = StatisticsListener.NONE;

	private volatile @Nullable RedisNearCache nearCache;

	private volatile DroppedPages droppedPages = new DroppedPages(List.of(), null);

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
		this.lookups = new LookupCommands(this.redis, this.keys);
		this.maxRenderTime = maxRenderTime;
		this.clock = clock;
		this.acknowledgements = new AcknowledgementWait(this.commands::readApplied);
		this.recovery = new LostInvalidationRecovery(
				() -> this.acknowledgements.await(this.commands.clear(), this.nearCache), this::runReaderClear);
		this.hotPages = new RedisHotPages(this.redis, this.keys);
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
		LookupCommands.Reply reply = this.lookups.lookup(key, withMissReason);
		byte[] value = reply.page();
		long sequence = StoreCommands.parseSequence(reply.sequence());
		byte[] epoch = reply.epoch();
		if (epoch == null || reply.sequence() == null) {
			this.commands.createEpoch();
			return new PageLookup(null, sequence, null, MissReason.FIRST);
		}
		String epochName = new String(epoch, StandardCharsets.UTF_8);
		PageEntry entry = PageValue.decode(value, epoch);
		if (entry == null) {
			MissReason reason = MissMarker.reason(value, epoch, reply.missReason(), this.clock.millis());
			return new PageLookup(null, sequence, epochName, reason);
		}
		if (reply.validate()
				&& this.lookups.validate(epochName, PageValue.sequence(value), entry.tags()) != LookupCommands.FRESH) {
			// a tag was invalidated while its index was lost, or the tag state is lost
			return new PageLookup(null, sequence, epochName, MissReason.INVALIDATED);
		}
		PageLookup lookup = new PageLookup(entry, sequence, epochName, null);
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
		byte[] value = PageValue.encode(epoch, this.clock.millis() + ttl.toMillis(), lookup.sequence(), entry);
		return this.commands.put(key, value, tags, ttl, epoch, lookup.sequence(), new StoreCommands.PutSettings(
				this.missReasonRetention, this.maxPagesPerRoute, this.maxRenderTime.toMillis()));
	}

	/**
	 * {@code invalidate.lua} then reports the deleted pages that carry the reported tags,
	 * those it deleted itself ({@code DEL} answered 1), found by {@code ZSCORE} in the
	 * reported tags' indexes; it deletes page by page while a listener is set.
	 */
	@Override
	public void setDroppedPagesListener(Collection<String> reportedTags, DroppedPagesListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.droppedPages = new DroppedPages(List.copyOf(new LinkedHashSet<>(reportedTags)), listener);
	}

	@Override
	public void setRefreshListener(RefreshListener listener) {
		this.hotPages.setListener(listener);
	}

	@Override
	public long invalidate(Collection<String> tags) {
		try {
			this.recovery.recover(true);
			List<String> distinct = List.copyOf(new LinkedHashSet<>(tags));
			DroppedPages dropped = this.droppedPages;
			List<Object> reply = this.commands.invalidate(distinct, this.missReasonRetention, dropped.reportedTags(),
					this.hotPages.handedOver());
			this.statisticsListener.invalidated(distinct);
			if (dropped.listener() != null) {
				dropped.listener().dropped(distinct, StoreCommands.deletedKeys(reply, dropped.reportedTags()));
			}
			this.acknowledgements.await(reply, this.nearCache);
			this.hotPages.handOver(reply);
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
		this.hotPages.cleared();
	}

	/**
	 * The recovery that a lookup or a put runs: a reader never waits for other instances
	 * (up to their registration), so it drops this instance's near cache itself instead
	 * of waiting for it, and the others apply the clear when its message arrives. No
	 * write waits for this clear: the invalidation it makes up for has failed.
	 */
	private void runReaderClear() {
		this.commands.clear();
		RedisNearCache near = this.nearCache;
		if (near != null) {
			near.flush();
		}
	}

	@Override
	public void setHotList(HotList hotList) {
		this.hotPages.setSettings(hotList);
	}

	@Override
	public void addRequests(Map<String, Long> requests) {
		this.hotPages.add(requests);
	}

	@Override
	public List<HotPage> hottest(int limit, double minRequests) {
		return this.hotPages.hottest(limit, minRequests);
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

	/** {@code MGET {ns}:page-tags:<page id>...}: the tags of pages, in one trip. */
	@Override
	public Map<String, List<String>> tagsOf(List<String> keys) {
		this.recovery.recover(true);
		return this.commands.tagsOf(keys);
	}

	/**
	 * {@code SET {ns}:render-lease:<page id> <holder> NX PX <duration>}: the render lease
	 * of a page, which this instance holds if it set it, now or before (a lease command
	 * that timed out may still have reached Redis).
	 */
	@Override
	public boolean lease(String key, Duration duration) {
		return this.commands.takeRenderLease(key, duration);
	}

	/** {@code release.lua}: delete the render lease of a page this instance holds. */
	@Override
	public void release(String key) {
		this.commands.releaseRenderLease(key);
	}

	@Override
	public String getName() {
		return "redis";
	}

	private record DroppedPages(List<String> reportedTags, @Nullable DroppedPagesListener listener) {

	}

}
