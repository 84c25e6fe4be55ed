package dev.pagecache.redis;

import java.util.Set;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;

/**
 * A page held by a near cache.
 *
 * @param key the page key
 * @param lookup the lookup that read it from Redis, served as it is
 * @param expiresAt when it stops being served, on {@link System#nanoTime()}
 * @param size its estimated size in bytes
 * @author pagecache
 */
record NearCacheEntry(String key, PageLookup lookup, long expiresAt, long size) {

	Set<String> tags() {
		PageEntry entry = this.lookup.entry();
		return (entry != null) ? entry.tags() : Set.of();
	}

}
