package dev.pagecache.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsPageStore;

import org.springframework.util.Assert;

/**
 * A Redis page store split into {@linkplain RedisShards shards}, each a
 * {@link RedisPageStore} of a namespace of its own (its own hash tag, epoch, counter, tag
 * indexes and near cache), so that on Redis Cluster the pages spread over every primary.
 * A page, its records and what guards it live in the page's shard, so a lookup, a store,
 * a lease are one shard's operations, as costly as without shards. An invalidation and a
 * clear run in every shard at once, each on a thread of its own (threads are kept for 30
 * s and reused), and return when every shard has (its near caches included), even if the
 * calling thread is interrupted meanwhile; their reports (the dropped pages, the hot
 * pages) are merged and handed to the listeners in the calling thread, as
 * {@link PageStore} says. A shard whose invalidation failed clears itself before it
 * serves again ({@code LostInvalidationRecovery}); the others are unaffected. Each shard
 * keeps a hot list as long as the whole store's; a route's most pages are shared out
 * between the shards by the caller.
 *
 * @author pagecache
 */
final class ShardedRedisPageStore implements PageStore, StatisticsPageStore, AutoCloseable {

	private final List<RedisPageStore> shards;

	private final ShardTasks tasks = new ShardTasks();

	/** What the invalidation that runs on this thread reports, in a shard. */
	private final ThreadLocal<ShardReport> report = new ThreadLocal<>();

	private volatile StatisticsListener statisticsListener = StatisticsListener.NONE;

	private volatile @Nullable DroppedPagesListener droppedPagesListener;

	private volatile @Nullable RefreshListener refreshListener;

	private volatile HotList hotList = HotList.DEFAULT;

	/**
	 * Create a store of shards.
	 * @param shards the shards, by index (as {@link RedisShards#of(String, int)} counts
	 * them), with their settings
	 */
	ShardedRedisPageStore(List<RedisPageStore> shards) {
		Assert.isTrue(shards.size() > 1, "A sharded store needs at least two shards");
		this.shards = List.copyOf(shards);
	}

	RedisPageStore shard(String key) {
		return this.shards.get(RedisShards.of(key, this.shards.size()));
	}

	/**
	 * A shard.
	 * @param index its index
	 * @return the shard
	 */
	RedisPageStore shard(int index) {
		return this.shards.get(index);
	}

	@Override
	public PageLookup lookup(String key) {
		return shard(key).lookup(key);
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		return shard(key).put(key, entry, ttl, lookup);
	}

	@Override
	public long invalidate(Collection<String> tags) {
		List<String> distinct = List.copyOf(new LinkedHashSet<>(tags));
		List<ShardReport> reports = this.tasks.inEvery(this.shards, "invalidation", (shard) -> {
			ShardReport report = new ShardReport();
			this.report.set(report);
			try {
				report.dropped = shard.invalidate(distinct);
				return report;
			}
			finally {
				this.report.remove();
			}
		});
		this.statisticsListener.invalidated(distinct);
		long dropped = 0;
		Map<String, List<String>> droppedByTag = new LinkedHashMap<>();
		List<HotPage> hotPages = new ArrayList<>();
		for (ShardReport report : reports) {
			report.droppedByTag
				.forEach((tag, keys) -> droppedByTag.computeIfAbsent(tag, (key) -> new ArrayList<>()).addAll(keys));
			dropped += report.dropped;
			hotPages.addAll(report.hotPages);
		}
		DroppedPagesListener droppedListener = this.droppedPagesListener;
		if (droppedListener != null) {
			droppedListener.dropped(distinct, droppedByTag);
		}
		RefreshListener refresh = this.refreshListener;
		if (refresh != null && !hotPages.isEmpty()) {
			hotPages.sort(Comparator.comparingDouble(HotPage::requests).reversed());
			refresh.hotPagesDropped(
					List.copyOf(hotPages.subList(0, Math.min(hotPages.size(), this.hotList.maxPerInvalidation()))));
		}
		return dropped;
	}

	@Override
	public void clear() {
		this.tasks.inEvery(this.shards, "clear", (shard) -> {
			shard.clear();
			return Boolean.TRUE;
		});
		this.statisticsListener.cleared();
		RefreshListener refresh = this.refreshListener;
		if (refresh != null) {
			refresh.cleared();
		}
	}

	@Override
	public void setDroppedPagesListener(Collection<String> reportedTags, DroppedPagesListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		DroppedPagesListener collector = (tags, keysByReportedTag) -> {
			ShardReport report = this.report.get();
			if (report != null) {
				report.droppedByTag.putAll(keysByReportedTag);
			}
		};
		this.shards.forEach((shard) -> shard.setDroppedPagesListener(reportedTags, collector));
		this.droppedPagesListener = listener;
	}

	/**
	 * The shards look hot pages up from now on, and report them to this store.
	 */
	@Override
	public void setRefreshListener(RefreshListener listener) {
		RefreshListener collector = (pages) -> {
			ShardReport report = this.report.get();
			if (report != null) {
				report.hotPages.addAll(pages);
			}
		};
		this.shards.forEach((shard) -> shard.setRefreshListener(collector));
		this.refreshListener = listener;
	}

	/**
	 * Each shard keeps a hot list as long as the whole store's, so that the hottest pages
	 * are the same whichever shards they fall in.
	 */
	@Override
	public void setHotList(HotList hotList) {
		this.hotList = hotList;
		this.shards.forEach((shard) -> shard.setHotList(hotList));
	}

	/**
	 * Every shard is told, those without requests too, so that every hot list decays.
	 */
	@Override
	public void addRequests(Map<String, Long> requests) {
		List<Map<String, Long>> byShard = new ArrayList<>(this.shards.size());
		this.shards.forEach((shard) -> byShard.add(new HashMap<>()));
		requests.forEach((key, count) -> byShard.get(RedisShards.of(key, this.shards.size())).put(key, count));
		for (int i = 0; i < this.shards.size(); i++) {
			this.shards.get(i).addRequests(byShard.get(i));
		}
	}

	@Override
	public List<HotPage> hottest(int limit, double minRequests) {
		int bounded = Math.max(0, Math.min(limit, this.hotList.maxPages()));
		List<HotPage> hottest = new ArrayList<>();
		this.shards.forEach((shard) -> hottest.addAll(shard.hottest(bounded, minRequests)));
		hottest.sort(Comparator.comparingDouble(HotPage::requests).reversed());
		return List.copyOf(hottest.subList(0, Math.min(bounded, hottest.size())));
	}

	@Override
	public List<String> keysTagged(String tag) {
		List<String> keys = new ArrayList<>();
		this.shards.forEach((shard) -> keys.addAll(shard.keysTagged(tag)));
		return keys;
	}

	@Override
	public List<String> keysTagged(String tag, int limit) {
		List<String> keys = new ArrayList<>();
		for (RedisPageStore shard : this.shards) {
			if (keys.size() >= limit) {
				break;
			}
			keys.addAll(shard.keysTagged(tag, limit - keys.size()));
		}
		return keys;
	}

	@Override
	public PageCount countTagged(String tag) {
		long entries = 0;
		boolean estimated = false;
		for (RedisPageStore shard : this.shards) {
			PageCount count = shard.countTagged(tag);
			entries += count.entries();
			estimated |= count.estimated();
		}
		return new PageCount(entries, estimated);
	}

	@Override
	public Map<String, List<String>> tagsOf(List<String> keys) {
		Map<RedisPageStore, List<String>> byShard = new LinkedHashMap<>();
		keys.forEach((key) -> byShard.computeIfAbsent(shard(key), (shard) -> new ArrayList<>()).add(key));
		Map<String, List<String>> tags = new HashMap<>();
		byShard.forEach((shard, shardKeys) -> tags.putAll(shard.tagsOf(shardKeys)));
		return tags;
	}

	@Override
	public boolean lease(String key, Duration duration) {
		return shard(key).lease(key, duration);
	}

	@Override
	public void release(String key) {
		shard(key).release(key);
	}

	@Override
	public void setStatisticsListener(StatisticsListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.statisticsListener = listener;
	}

	@Override
	public void setMissReasonRetention(Duration retention) {
		this.shards.forEach((shard) -> shard.setMissReasonRetention(retention));
	}

	/**
	 * The fleet's statistics, in the first shard.
	 * @return the fleet's statistics store
	 */
	@Override
	public FleetStatisticsStore fleetStatisticsStore() {
		return this.shards.get(0).fleetStatisticsStore();
	}

	/**
	 * Look the probe key up in every shard at once: a primary that is down fails the
	 * check even while the shards of the others answer.
	 * @throws PageStoreUnavailableException naming the shards that did not answer
	 */
	@Override
	public void check() {
		List<@Nullable RuntimeException> failures = this.tasks.inEvery(this.shards, "check",
				ShardedRedisPageStore::probe);
		List<Integer> down = IntStream.range(0, failures.size())
			.filter((i) -> failures.get(i) != null)
			.boxed()
			.toList();
		if (!down.isEmpty()) {
			RuntimeException first = failures.get(down.get(0));
			throw new PageStoreUnavailableException("Shards " + down + " of " + this.shards.size()
					+ " of the Redis page store do not answer: " + first.getMessage(), first);
		}
	}

	private static @Nullable RuntimeException probe(RedisPageStore shard) {
		try {
			shard.lookup(PROBE_KEY);
			return null;
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	@Override
	public String getName() {
		return "redis";
	}

	/**
	 * Stop the threads that run invalidations and clears in the shards once they are
	 * done; later ones run in the calling thread, one shard after the other.
	 */
	@Override
	public void close() {
		this.tasks.close();
	}

	/**
	 * What an invalidation of one shard reported, written by the thread that ran it.
	 */
	private static final class ShardReport {

		private final Map<String, List<String>> droppedByTag = new HashMap<>();

		private final List<HotPage> hotPages = new ArrayList<>();

		private long dropped;

	}

}
