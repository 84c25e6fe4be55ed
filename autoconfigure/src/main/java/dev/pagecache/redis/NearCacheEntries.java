package dev.pagecache.redis;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages of a near cache, bounded by their estimated size: the oldest goes first when
 * it is full, and expired pages go whenever one is added. Indexed by tag, so that an
 * invalidation drops exactly the pages of its tags.
 * <p>
 * Not thread-safe but for {@link #readView()}: every other method is called under the
 * monitor of the {@link NearCacheSynchronization} that owns it, so that the pages and the
 * position they were checked against change together.
 *
 * @author pagecache
 */
final class NearCacheEntries {

	private final Map<String, NearCacheEntry> pages = new ConcurrentHashMap<>();

	/** The pages in the order they came, for eviction. */
	private final LinkedHashMap<String, NearCacheEntry> arrivals = new LinkedHashMap<>();

	/**
	 * The keys of the pages of each tag. A key stays in the sets of its other tags until
	 * they are invalidated: more, never less.
	 */
	private final Map<String, Set<String>> keysByTag = new HashMap<>();

	private final long maxBytes;

	private long bytes;

	NearCacheEntries(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	/**
	 * The pages by key, to read without a lock on the hit path.
	 * @return the live map, not to be modified
	 */
	Map<String, NearCacheEntry> readView() {
		return this.pages;
	}

	void put(NearCacheEntry entry, long now) {
		remove(entry.key());
		this.pages.put(entry.key(), entry);
		this.arrivals.put(entry.key(), entry);
		for (String tag : entry.tags()) {
			this.keysByTag.computeIfAbsent(tag, (t) -> new HashSet<>()).add(entry.key());
		}
		this.bytes += entry.size();
		evict(now);
	}

	void remove(String key) {
		NearCacheEntry entry = this.pages.remove(key);
		if (entry != null) {
			this.arrivals.remove(key);
			this.bytes -= entry.size();
		}
	}

	void removeTagged(Collection<String> tags) {
		for (String tag : tags) {
			Set<String> tagged = this.keysByTag.remove(tag);
			if (tagged != null) {
				tagged.forEach(this::remove);
			}
		}
	}

	/**
	 * Drop every page.
	 * @return whether any page was held
	 */
	boolean clear() {
		boolean held = !this.pages.isEmpty();
		this.pages.clear();
		this.arrivals.clear();
		this.keysByTag.clear();
		this.bytes = 0;
		return held;
	}

	long bytes() {
		return this.bytes;
	}

	private void evict(long now) {
		Iterator<NearCacheEntry> oldest = this.arrivals.values().iterator();
		while (oldest.hasNext()) {
			NearCacheEntry entry = oldest.next();
			if (this.bytes <= this.maxBytes && now - entry.expiresAt() < 0) {
				break;
			}
			oldest.remove();
			this.pages.remove(entry.key());
			this.bytes -= entry.size();
		}
	}

}
