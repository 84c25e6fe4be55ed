package dev.pagecache.edge;

import java.util.Collection;
import java.util.List;

import dev.pagecache.PageCache;
import dev.pagecache.store.PageStore;

/**
 * A page cache over a store, as the application's.
 *
 * @param store the store
 * @author pagecache
 */
record StoreCache(PageStore store) implements PageCache {

	@Override
	public void invalidateTags(Collection<String> tags) {
		this.store.invalidate(tags);
	}

	@Override
	public void clear() {
		this.store.clear();
	}

	@Override
	public void dependOn(String... tags) {
	}

	@Override
	public List<String> pagesTagged(String tag) {
		return this.store.keysTagged(tag);
	}

}
