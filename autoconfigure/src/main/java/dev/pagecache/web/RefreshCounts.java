package dev.pagecache.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link Refresher} did since start-up, and which refreshed pages a reader has
 * asked for since.
 *
 * @author pagecache
 */
final class RefreshCounts {

	private final AtomicLong refreshed = new AtomicLong();

	private final AtomicLong requestedAfter = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong notReplayable = new AtomicLong();

	private final AtomicLong overflowed = new AtomicLong();

	private final AtomicLong warmed = new AtomicLong();

	/** Pages refreshed that no reader has asked for since. */
	private final Set<String> awaitingReader = ConcurrentHashMap.newKeySet();

	private final int maxAwaiting;

	/**
	 * Create counts.
	 * @param maxAwaiting the most refreshed pages remembered until a reader asks for them
	 */
	RefreshCounts(int maxAwaiting) {
		this.maxAwaiting = maxAwaiting;
	}

	void refreshed(String key) {
		this.refreshed.incrementAndGet();
		if (this.awaitingReader.size() < this.maxAwaiting) {
			this.awaitingReader.add(key);
		}
	}

	/**
	 * Count a reader's request for a page: the first one after the page was refreshed is
	 * a render the refresh saved a reader.
	 * @param key the page's key
	 */
	void requested(String key) {
		if (!this.awaitingReader.isEmpty() && this.awaitingReader.remove(key)) {
			this.requestedAfter.incrementAndGet();
		}
	}

	void failed() {
		this.failed.incrementAndGet();
	}

	void notReplayable() {
		this.notReplayable.incrementAndGet();
	}

	void overflowed() {
		this.overflowed.incrementAndGet();
	}

	void warmed(int pages) {
		this.warmed.addAndGet(pages);
	}

	Refresher.Figures figures(int queued, boolean refreshing, double share) {
		return new Refresher.Figures(queued, refreshing, this.refreshed.get(), this.requestedAfter.get(),
				this.failed.get(), this.notReplayable.get(), this.overflowed.get(), this.warmed.get(), share);
	}

}
