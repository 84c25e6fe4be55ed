package dev.pagecache.store;

import dev.pagecache.store.PageLookup.MissReason;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A {@link PageStore} in the application's heap, for a single instance, development and
 * tests. Bounded by a number of entries and a total size; the least recently used entries
 * are evicted first.
 * <p>
 * With a {@linkplain #setMissReasonRetention(Duration) miss reason retention}, the store
 * remembers for that long why each page went (invalidated, expired or evicted), at most
 * for as many pages as it holds, so that a lookup tells exactly why it missed.
 * <p>
 * Its {@linkplain #addRequests(Map) hot list} decays and is bounded as the Redis store's
 * is, in this process: it does not survive a restart, so there is nothing to warm after
 * one.
 *
 * @author pagecache
 */
public final class InMemoryPageStore implements PageStore, StatisticsPageStore {

	private final int maxEntries;

	private final long maxBytes;

	private final Duration maxRenderTime;

	private final Clock clock;

	private final LinkedHashMap<String, Stored> entries = new LinkedHashMap<>(256, 0.75f, true);

	private final Map<String, Set<String>> keysByTag = new HashMap<>();

	private final Map<String, Invalidation> invalidations = new HashMap<>();

	private final LinkedHashMap<String, Gone> gone;

	private volatile Duration missReasonRetention = Duration.ZERO;

	private volatile StatisticsListener statisticsListener = StatisticsListener.NONE;

	private volatile List<String> reportedTags = List.of();

	private volatile @Nullable DroppedPagesListener droppedPagesListener;

	private final InMemoryHotPages hotPages;

	private volatile @Nullable RefreshListener refreshListener;

	private long bytes;

	private long sequence;

	private String epoch = newEpoch();

	/**
	 * Create a store.
	 * @param maxEntries the most entries kept
	 * @param maxBytes the most bytes kept, as estimated by
	 * {@link PageEntry#estimatedSize()}
	 * @param maxRenderTime the longest render whose result may still be stored
	 * @param clock the clock for expiry
	 */
	public InMemoryPageStore(int maxEntries, long maxBytes, Duration maxRenderTime, Clock clock) {
		Assert.isTrue(maxEntries > 0, "'maxEntries' must be positive");
		Assert.isTrue(maxBytes > 0, "'maxBytes' must be positive");
		this.maxEntries = maxEntries;
		this.maxBytes = maxBytes;
		this.maxRenderTime = maxRenderTime;
		this.clock = clock;
		this.hotPages = new InMemoryHotPages(clock);
		this.gone = new LinkedHashMap<>(256, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Gone> eldest) {
				return size() > maxEntries;
			}

		};
	}

	/**
	 * Remember for a while why pages went, so that lookups report why they missed. Off
	 * (zero) by default.
	 * @param retention how long to remember
	 */
	@Override
	public void setMissReasonRetention(Duration retention) {
		Assert.isTrue(!retention.isNegative(), "'retention' must not be negative");
		this.missReasonRetention = retention;
	}

	/**
	 * Report invalidations and clears to a statistics listener.
	 * @param listener the listener
	 */
	@Override
	public void setStatisticsListener(StatisticsListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.statisticsListener = listener;
	}

	@Override
	public void setDroppedPagesListener(Collection<String> reportedTags, DroppedPagesListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.reportedTags = List.copyOf(new LinkedHashSet<>(reportedTags));
		this.droppedPagesListener = listener;
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
	public void setRefreshListener(RefreshListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.refreshListener = listener;
	}

	@Override
	public synchronized PageLookup lookup(String key) {
		long now = now();
		Stored stored = this.entries.get(key);
		if (stored != null && stored.expiresAt <= now) {
			remove(key, MissReason.EXPIRED, now);
			return new PageLookup(null, this.sequence, this.epoch, MissReason.EXPIRED);
		}
		if (stored != null) {
			return new PageLookup(stored.entry, this.sequence, this.epoch, null);
		}
		Gone gone = this.gone.get(key);
		MissReason reason = (gone != null && gone.forgetAt > now) ? gone.reason : MissReason.FIRST;
		return new PageLookup(null, this.sequence, this.epoch, reason);
	}

	@Override
	public synchronized boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		long now = now();
		if (!this.epoch.equals(lookup.epoch()) || invalidatedSince(entry.tags(), lookup.sequence(), now)) {
			return false;
		}
		long size = entry.estimatedSize() + key.length();
		if (size > this.maxBytes) {
			return false;
		}
		remove(key, null, now);
		this.gone.remove(key);
		this.entries.put(key, new Stored(entry, now + ttl.toMillis(), size));
		this.bytes += size;
		for (String tag : entry.tags()) {
			this.keysByTag.computeIfAbsent(tag, (t) -> new LinkedHashSet<>()).add(key);
		}
		evictWhileOverBounds(now);
		return true;
	}

	@Override
	public synchronized long invalidate(Collection<String> tags) {
		long now = now();
		this.sequence++;
		this.invalidations.values().removeIf((invalidation) -> invalidation.expiresAt <= now);
		long dropped = 0;
		DroppedPagesListener listener = this.droppedPagesListener;
		RefreshListener refresh = this.refreshListener;
		List<String> live = new ArrayList<>();
		Map<String, List<String>> report = new LinkedHashMap<>();
		for (String reported : this.reportedTags) {
			report.put(reported, new ArrayList<>());
		}
		for (String tag : tags) {
			this.invalidations.put(tag, new Invalidation(this.sequence, now + this.maxRenderTime.toMillis()));
			Set<String> keys = this.keysByTag.remove(tag);
			if (keys != null) {
				for (String key : keys) {
					Stored stored = remove(key, MissReason.INVALIDATED, now);
					dropped += (stored != null) ? 1 : 0;
					if (refresh != null && stored != null && stored.expiresAt > now) {
						live.add(key);
					}
					if (listener != null && stored != null && stored.expiresAt > now) {
						report(report, key, stored);
					}
				}
			}
		}
		this.statisticsListener.invalidated(tags);
		if (listener != null) {
			listener.dropped(tags, report);
		}
		List<HotPage> hot = (refresh != null) ? this.hotPages.hotAmong(live) : List.of();
		if (refresh != null && !hot.isEmpty()) {
			refresh.hotPagesDropped(hot);
		}
		return dropped;
	}

	private void report(Map<String, List<String>> report, String key, Stored stored) {
		report.forEach((reported, keys) -> {
			if (stored.entry.tags().contains(reported)) {
				keys.add(key);
			}
		});
	}

	@Override
	public synchronized void clear() {
		long now = now();
		for (String key : List.copyOf(this.entries.keySet())) {
			remove(key, MissReason.INVALIDATED, now);
		}
		this.entries.clear();
		this.keysByTag.clear();
		this.invalidations.clear();
		this.bytes = 0;
		this.sequence++;
		this.epoch = newEpoch();
		this.statisticsListener.cleared();
		RefreshListener refresh = this.refreshListener;
		if (refresh != null) {
			refresh.cleared();
		}
	}

	@Override
	public List<String> keysTagged(String tag) {
		return keysTagged(tag, Integer.MAX_VALUE);
	}

	@Override
	public synchronized List<String> keysTagged(String tag, int limit) {
		long now = now();
		List<String> keys = new ArrayList<>();
		for (String key : this.keysByTag.getOrDefault(tag, Set.of())) {
			if (keys.size() >= limit) {
				break;
			}
			Stored stored = this.entries.get(key);
			if (stored != null && stored.expiresAt > now) {
				keys.add(key);
			}
		}
		return keys;
	}

	@Override
	public synchronized Map<String, List<String>> tagsOf(List<String> keys) {
		long now = now();
		Map<String, List<String>> tags = new LinkedHashMap<>();
		for (String key : keys) {
			Stored stored = this.entries.get(key);
			if (stored != null && stored.expiresAt > now) {
				tags.put(key, stored.entry.tags().stream().sorted().toList());
			}
		}
		return tags;
	}

	@Override
	public String getName() {
		return "memory";
	}

	/**
	 * The number of entries held, expired ones included until they are looked up or
	 * evicted.
	 * @return the entry count
	 */
	public synchronized int size() {
		return this.entries.size();
	}

	private boolean invalidatedSince(Set<String> tags, long sequence, long now) {
		for (String tag : tags) {
			Invalidation invalidation = this.invalidations.get(tag);
			if (invalidation != null && invalidation.sequence > sequence && invalidation.expiresAt > now) {
				return true;
			}
		}
		return false;
	}

	private void evictWhileOverBounds(long now) {
		Iterator<Map.Entry<String, Stored>> eldest = this.entries.entrySet().iterator();
		while ((this.entries.size() > this.maxEntries || this.bytes > this.maxBytes) && eldest.hasNext()) {
			Map.Entry<String, Stored> next = eldest.next();
			eldest.remove();
			forget(next.getKey(), next.getValue());
			rememberGone(next.getKey(), next.getValue(), MissReason.EVICTED, now);
		}
	}

	/**
	 * Remove an entry, remembering why unless {@code reason} is {@code null} (the entry
	 * is being replaced); the entry removed, if any.
	 */
	private @Nullable Stored remove(String key, @Nullable MissReason reason, long now) {
		Stored stored = this.entries.remove(key);
		if (stored == null) {
			return null;
		}
		forget(key, stored);
		if (reason != null) {
			rememberGone(key, stored, reason, now);
		}
		return stored;
	}

	/**
	 * An entry past its expiry went because it expired, whatever removed it.
	 */
	private void rememberGone(String key, Stored stored, MissReason reason, long now) {
		long retention = this.missReasonRetention.toMillis();
		if (retention > 0) {
			this.gone.put(key, new Gone((stored.expiresAt <= now) ? MissReason.EXPIRED : reason, now + retention));
		}
	}

	private void forget(String key, Stored stored) {
		this.bytes -= stored.size;
		for (String tag : stored.entry.tags()) {
			Set<String> keys = this.keysByTag.get(tag);
			if (keys != null && keys.remove(key) && keys.isEmpty()) {
				this.keysByTag.remove(tag);
			}
		}
	}

	private long now() {
		return this.clock.millis();
	}

	private static String newEpoch() {
		return UUID.randomUUID().toString();
	}

	private record Stored(PageEntry entry, long expiresAt, long size) {

	}

	private record Invalidation(long sequence, long expiresAt) {

	}

	private record Gone(MissReason reason, long forgetAt) {

	}

}
