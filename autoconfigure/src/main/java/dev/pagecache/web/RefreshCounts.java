package dev.pagecache.web;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
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

	/**
	 * Pages whose refresh started and that no reader has asked for since, oldest first;
	 * guarded by itself.
	 */
	private final Set<String> awaitingReader = new LinkedHashSet<>();

	private final int maxAwaiting;

	/**
	 * Create counts.
	 * @param maxAwaiting the most refreshed pages remembered until a reader asks for
	 * them: the oldest are forgotten first
	 */
	RefreshCounts(int maxAwaiting) {
		this.maxAwaiting = maxAwaiting;
	}

	/**
	 * A refresh of a page is about to be sent.
	 * @param key the page's key
	 */
	void started(String key) {
		synchronized (this.awaitingReader) {
			this.awaitingReader.remove(key);
			this.awaitingReader.add(key);
			if (this.awaitingReader.size() > this.maxAwaiting) {
				Iterator<String> oldest = this.awaitingReader.iterator();
				oldest.next();
				oldest.remove();
			}
		}
	}

	/**
	 * A refresh rendered a page and the store took it.
	 */
	void stored() {
		this.refreshed.incrementAndGet();
	}

	/**
	 * A refresh was answered with an error, or not at all.
	 * @param key the page's key
	 */
	void failed(String key) {
		this.failed.incrementAndGet();
		synchronized (this.awaitingReader) {
			this.awaitingReader.remove(key);
		}
	}

	/**
	 * Count a reader's request for a page: the first one since its refresh started is
	 * served what the refresh stored, a render saved.
	 * @param key the page's key
	 */
	void requested(String key) {
		synchronized (this.awaitingReader) {
			if (this.awaitingReader.isEmpty() || !this.awaitingReader.remove(key)) {
				return;
			}
		}
		this.requestedAfter.incrementAndGet();
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
