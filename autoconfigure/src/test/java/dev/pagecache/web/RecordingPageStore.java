package dev.pagecache.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreUnavailableException;

/**
 * An in-memory store that counts its calls, can be taken down, and can play a store whose
 * lease of a page another instance holds.
 *
 * @author pagecache
 */
class RecordingPageStore implements PageStore {

	final InMemoryPageStore pages;

	final AtomicInteger lookups = new AtomicInteger();

	final AtomicInteger puts = new AtomicInteger();

	final List<String> leases = new CopyOnWriteArrayList<>();

	final List<String> releases = new CopyOnWriteArrayList<>();

	/** Whether another instance holds every lease. */
	volatile boolean leasedElsewhere;

	volatile boolean down;

	RecordingPageStore(Clock clock) {
		this.pages = new InMemoryPageStore(1000, 1 << 24, Duration.ofMinutes(1), clock);
	}

	@Override
	public PageLookup lookup(String key) {
		this.lookups.incrementAndGet();
		failIfDown();
		return this.pages.lookup(key);
	}

	@Override
	public boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		this.puts.incrementAndGet();
		failIfDown();
		return this.pages.put(key, entry, ttl, lookup);
	}

	@Override
	public long invalidate(Collection<String> tags) {
		return this.pages.invalidate(tags);
	}

	@Override
	public void clear() {
		this.pages.clear();
	}

	@Override
	public List<String> keysTagged(String tag) {
		return this.pages.keysTagged(tag);
	}

	@Override
	public synchronized boolean lease(String key, Duration duration) {
		this.leases.add(key);
		failIfDown();
		return !this.leasedElsewhere;
	}

	@Override
	public synchronized void release(String key) {
		this.releases.add(key);
		failIfDown();
	}

	@Override
	public String getName() {
		return "recording";
	}

	private void failIfDown() {
		if (this.down) {
			throw new PageStoreUnavailableException("down for the test");
		}
	}

}
