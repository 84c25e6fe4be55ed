package dev.pagecache.web;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.store.PageStore;

/**
 * The {@link PageCache} of an application: invalidations go to the {@link PageStore},
 * dependencies to the page the current thread renders.
 * <p>
 * With the edge on, an invalidation returns once this instance's shared responses that
 * began before it are on the network (at most {@code pagecache.edge.timeout}), so that
 * the purge sent after it reaches the edge after them.
 *
 * @author pagecache
 */
final class DefaultPageCache implements PageCache {

	private static final long SETTLE_NANOS = Duration.ofMillis(10).toNanos();

	private final PageStore store;

	private final @Nullable InFlightResponses inFlight;

	private final Duration inFlightTimeout;

	/**
	 * Create an instance over a store.
	 * @param store the page store
	 */
	DefaultPageCache(PageStore store) {
		this.store = store;
		this.inFlight = null;
		this.inFlightTimeout = Duration.ZERO;
	}

	/**
	 * Create an instance over a store whose invalidations wait for the shared responses
	 * in flight that began before them.
	 * @param store the page store
	 * @param inFlight the shared responses in flight
	 * @param inFlightTimeout the longest wait
	 */
	DefaultPageCache(PageStore store, InFlightResponses inFlight, Duration inFlightTimeout) {
		this.store = store;
		this.inFlight = inFlight;
		this.inFlightTimeout = inFlightTimeout;
	}

	@Override
	public void invalidateTags(Collection<String> tags) {
		if (!tags.isEmpty()) {
			try {
				this.store.invalidate(tags);
			}
			finally {
				awaitResponsesInFlight();
			}
		}
	}

	@Override
	public void clear() {
		try {
			this.store.clear();
		}
		finally {
			awaitResponsesInFlight();
		}
	}

	private void awaitResponsesInFlight() {
		if (this.inFlight != null && this.inFlight.awaitEarlier(this.inFlightTimeout)) {
			// a response that was on its way when the store dropped its page is on the
			// network now: give the edge a moment to take it in before it is purged
			LockSupport.parkNanos(SETTLE_NANOS);
		}
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
