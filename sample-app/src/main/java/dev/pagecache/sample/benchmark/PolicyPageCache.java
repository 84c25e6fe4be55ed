package dev.pagecache.sample.benchmark;

import java.util.Collection;
import java.util.List;

import dev.pagecache.PageCache;

/**
 * The page cache as the JPA integration sees it under a naive {@link InvalidationPolicy}:
 * the tags of a committed write are turned into a clear of everything, or ignored.
 * Everything else reaches the real page cache unchanged, so pages still carry the
 * dependencies they load.
 *
 * @author pagecache
 */
final class PolicyPageCache implements PageCache {

	private final PageCache delegate;

	private final InvalidationPolicy policy;

	PolicyPageCache(PageCache delegate, InvalidationPolicy policy) {
		this.delegate = delegate;
		this.policy = policy;
	}

	@Override
	public void invalidateTags(Collection<String> tags) {
		switch (this.policy) {
			case PRECISE -> this.delegate.invalidateTags(tags);
			case DROP_ALL -> this.delegate.clear();
			case TTL_ONLY -> {
				// pages expire by themselves
			}
		}
	}

	@Override
	public void clear() {
		this.delegate.clear();
	}

	@Override
	public void dependOn(String... tags) {
		this.delegate.dependOn(tags);
	}

	@Override
	public List<String> pagesTagged(String tag) {
		return this.delegate.pagesTagged(tag);
	}

}
