package dev.pagecache.edge;

import java.util.Collection;
import java.util.List;

import dev.pagecache.PageCache;

/**
 * A {@link PageCache} whose invalidations also purge the edge: the URLs of the pages
 * concerned are read from the store's index before the store drops them, those the
 * store's invalidation reports dropping are added (a page stored in between included),
 * and the purge is sent once the store's invalidation has returned (or failed), in the
 * same thread, so before the committing request returns. The invalidation of the page
 * cache filter's own {@code PageCache} returns once this instance's shared responses that
 * began before it are on the network.
 *
 * @author pagecache
 */
final class PurgingPageCache implements PageCache {

	private final PageCache delegate;

	private final EdgePurges purges;

	PurgingPageCache(PageCache delegate, EdgePurges purges) {
		this.delegate = delegate;
		this.purges = purges;
	}

	@Override
	public void invalidateTags(Collection<String> tags) {
		if (tags.isEmpty()) {
			return;
		}
		EdgePurges.Targets targets = this.purges.targets(tags);
		try {
			targets = targets.and(this.purges.droppedBy(() -> this.delegate.invalidateTags(tags)));
		}
		finally {
			this.purges.purge(targets);
		}
	}

	@Override
	public void clear() {
		EdgePurges.Targets targets = this.purges.everything();
		try {
			this.delegate.clear();
		}
		finally {
			this.purges.purge(targets);
		}
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
