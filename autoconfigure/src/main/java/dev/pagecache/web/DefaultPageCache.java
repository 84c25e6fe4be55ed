package dev.pagecache.web;

import java.util.Collection;
import java.util.List;

import dev.pagecache.PageCache;
import dev.pagecache.store.PageStore;

/**
 * The {@link PageCache} of an application: invalidations go to the {@link PageStore},
 * dependencies to the page the current thread renders.
 *
 * @author pagecache
 */
final class DefaultPageCache implements PageCache {

	private final PageStore store;

	/**
	 * Create an instance over a store.
	 * @param store the page store
	 */
	public DefaultPageCache(PageStore store) {
		this.store = store;
	}

	@Override
	public void invalidateTags(Collection<String> tags) {
		if (!tags.isEmpty()) {
			this.store.invalidate(tags);
		}
	}

	@Override
	public void clear() {
		this.store.clear();
	}

	@Override
	public void dependOn(String... tags) {
		PageRender render = PageRender.current();
		if (render != null) {
			render.addTags(List.of(tags));
		}
	}

	@Override
	public List<String> pagesTagged(String tag) {
		return this.store.keysTagged(tag);
	}

}
