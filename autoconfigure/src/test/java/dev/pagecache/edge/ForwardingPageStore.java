package dev.pagecache.edge;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;

/**
 * A store that hands every call to another, for tests that change one of them.
 *
 * @author pagecache
 */
abstract class ForwardingPageStore implements PageStore {

	protected final PageStore store;

	ForwardingPageStore(PageStore store) {
		this.store = store;
	}

	@Override
	public PageLookup lookup(String key) {
		return this.store.lookup(key);
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		return this.store.put(key, entry, ttl, lookup);
	}

	@Override
	public long invalidate(Collection<String> tags) {
		return this.store.invalidate(tags);
	}

	@Override
	public void setDroppedPagesListener(Collection<String> reportedTags, DroppedPagesListener listener) {
		this.store.setDroppedPagesListener(reportedTags, listener);
	}

	@Override
	public void clear() {
		this.store.clear();
	}

	@Override
	public List<String> keysTagged(String tag) {
		return this.store.keysTagged(tag);
	}

	@Override
	public String getName() {
		return this.store.getName();
	}

}
