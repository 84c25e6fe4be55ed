package dev.pagecache.jpa.blog;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;

/**
 * A {@link PageStore} decorator that records every invalidation with the number of pages
 * it dropped (as the real store counted them), counts stores, runs a hook before each
 * store and before each invalidation, and can switch the race guard off: a store then
 * passes the store's current position instead of the one read before the render.
 */
public final class RecordingPageStore implements PageStore {

	private static final Consumer<String> NOTHING = (key) -> {
	};

	private final PageStore delegate;

	private final List<Invalidation> invalidations = new CopyOnWriteArrayList<>();

	private final AtomicLong stored = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private volatile boolean guarded = true;

	private volatile Consumer<String> beforePut = NOTHING;

	private volatile Runnable beforeInvalidate = () -> {
	};

	RecordingPageStore(PageStore delegate) {
		this.delegate = delegate;
	}

	public PageStore delegate() {
		return this.delegate;
	}

	public List<Invalidation> invalidations() {
		return List.copyOf(this.invalidations);
	}

	public void reset() {
		this.invalidations.clear();
		this.stored.set(0);
		this.refused.set(0);
		this.guarded = true;
		this.beforePut = NOTHING;
		this.beforeInvalidate = () -> {
		};
	}

	public void setGuarded(boolean guarded) {
		this.guarded = guarded;
	}

	public void setBeforePut(Consumer<String> beforePut) {
		this.beforePut = beforePut;
	}

	public void setBeforeInvalidate(Runnable beforeInvalidate) {
		this.beforeInvalidate = beforeInvalidate;
	}

	public long stored() {
		return this.stored.get();
	}

	public long refused() {
		return this.refused.get();
	}

	@Override
	public PageLookup lookup(String key) {
		return this.delegate.lookup(key);
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		this.beforePut.accept(key);
		PageLookup position = lookup;
		if (!this.guarded) {
			PageLookup now = this.delegate.lookup(key);
			position = new PageLookup(null, now.sequence(), now.epoch());
		}
		boolean accepted = this.delegate.put(key, entry, ttl, position);
		(accepted ? this.stored : this.refused).incrementAndGet();
		return accepted;
	}

	@Override
	public long invalidate(Collection<String> tags) {
		this.beforeInvalidate.run();
		long dropped = this.delegate.invalidate(tags);
		this.invalidations.add(new Invalidation(Set.copyOf(tags), dropped));
		return dropped;
	}

	@Override
	public void setDroppedPagesListener(Collection<String> reportedTags, DroppedPagesListener listener) {
		this.delegate.setDroppedPagesListener(reportedTags, listener);
	}

	@Override
	public void clear() {
		this.delegate.clear();
	}

	@Override
	public List<String> keysTagged(String tag) {
		return this.delegate.keysTagged(tag);
	}

	@Override
	public String getName() {
		return this.delegate.getName();
	}

	/**
	 * One call of {@link PageStore#invalidate(Collection)}.
	 *
	 * @param tags the tags
	 * @param dropped the pages the store dropped
	 */
	public record Invalidation(Set<String> tags, long dropped) {

	}

}
