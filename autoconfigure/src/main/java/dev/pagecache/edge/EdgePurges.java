package dev.pagecache.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageStore;

import org.springframework.beans.factory.DisposableBean;

/**
 * Sends the purges of the edge: what each invalidation drops, to every
 * {@link EdgePurger}, at once and again after the repurge delay (for responses that were
 * in flight when the first purge landed); a purge that fails is queued, durably where the
 * store is Redis, and retried with backoff until it succeeds.
 * <p>
 * An edge that purges by tag gets the tokens of the invalidated tags, and the URLs of the
 * invalidated pages that carry no tag header; any other edge gets the URLs of every
 * invalidated page. Those URLs are read from the store's index before the store drops the
 * pages, and the store reports the pages its invalidation dropped
 * ({@link PageStore#setDroppedPagesListener}): a page stored between that read and the
 * invalidation (its render began before the commit, its tags had not moved yet) is purged
 * too. The read before covers a store that reports nothing and an invalidation that
 * failed. A purge of every page is, at an edge that purges by URL, the URLs of every page
 * in the store's index (a wildcard is not understood by every purge module), sent and
 * queued in batches of at most {@value #MAX_URLS_PER_PURGE}. When the store cannot say
 * which pages carry the tags, every page is purged.
 *
 * @author pagecache
 */
final class EdgePurges implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EdgePurges.class);

	private static final int RETRIES_PER_ROUND = 100;

	/** The most URLs one purge request sends, and one entry of the queue holds. */
	static final int MAX_URLS_PER_PURGE = 500;

	private static final EdgePurger.Purge NOTHING = new EdgePurger.Purge(Set.of(), Set.of());

	private final List<EdgePurger> purgers;

	private final PageStore store;

	private final EdgePurgeQueue queue;

	private final Duration retryInterval;

	private final Duration maxRetryInterval;

	/** Retries the queued purges. */
	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "pagecache-edge-purges");
		thread.setDaemon(true);
		return thread;
	});

	private final Repurges<Targets> repurges;

	/** Each purger's retries, by its name; used by the retrying thread only. */
	private final Map<String, Backoff> backoffs = new HashMap<>();

	private final PurgeFailures failures = new PurgeFailures(logger);

	/** What the store reports dropping, during an invalidation sent by this thread. */
	private final ThreadLocal<@Nullable Dropped> dropped = new ThreadLocal<>();

	EdgePurges(List<EdgePurger> purgers, PageStore store, EdgePurgeQueue queue, Settings settings) {
		Set<String> names = new HashSet<>();
		for (EdgePurger purger : purgers) {
			if (!names.add(purger.name())) {
				throw new IllegalStateException("Two edge purgers are named '" + purger.name()
						+ "': give each EdgePurger bean a name() of its own");
			}
		}
		this.purgers = List.copyOf(purgers);
		this.store = store;
		this.queue = queue;
		this.repurges = new Repurges<>(settings.repurgeDelay(), this::sendAll);
		this.retryInterval = settings.retryInterval();
		this.maxRetryInterval = settings.maxRetryInterval();
		long interval = this.retryInterval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::retryQueued, interval, interval, TimeUnit.MILLISECONDS);
		store.setDroppedPagesListener(reportedTags(this.purgers), this::dropped);
	}

	/**
	 * The tags whose pages the store reports dropping: every page an edge may hold at
	 * edges that purge by URL, those without tag header at the others.
	 */
	private static Set<String> reportedTags(List<EdgePurger> purgers) {
		Set<String> tags = new LinkedHashSet<>();
		for (EdgePurger purger : purgers) {
			tags.add(purger.purgesByTag() ? EdgePurger.Purge.PURGED_BY_URL_TAG : EdgePurger.Purge.ALL_PAGES_TAG);
		}
		return tags;
	}

	/**
	 * What to purge for an invalidation of tags, read before the store drops the pages.
	 * @param tags the invalidated tags
	 * @return the targets of each kind of edge
	 */
	Targets targets(Collection<String> tags) {
		boolean byTag = this.purgers.stream().anyMatch(EdgePurger::purgesByTag);
		boolean byUrl = this.purgers.stream().anyMatch((purger) -> !purger.purgesByTag());
		try {
			EdgePurger.Purge tagged = byTag ? new EdgePurger.Purge(EdgePurger.Purge.ofTags(tags).tags(),
					PageUrls.taggedWithoutTagHeader(this.store, tags)) : NOTHING;
			EdgePurger.Purge urls = byUrl ? new EdgePurger.Purge(Set.of(), PageUrls.tagged(this.store, tags)) : NOTHING;
			return new Targets(tagged, urls);
		}
		catch (RuntimeException ex) {
			logger.warn("The page store cannot say which pages carry " + tags + "; purging every page at the edge: "
					+ ex.getMessage());
			return Targets.EVERYTHING;
		}
	}

	/**
	 * Run an invalidation of the store and return the pages it dropped, as the store
	 * reports them to this thread.
	 * @param invalidation invalidates the store
	 * @return the targets of each kind of edge, nothing where the store reports nothing
	 */
	Targets droppedBy(Runnable invalidation) {
		Dropped dropped = new Dropped(new LinkedHashSet<>(), new LinkedHashSet<>());
		this.dropped.set(dropped);
		try {
			invalidation.run();
		}
		finally {
			this.dropped.remove();
		}
		return new Targets(new EdgePurger.Purge(Set.of(), dropped.withoutTagHeader()),
				new EdgePurger.Purge(Set.of(), dropped.all()));
	}

	private void dropped(Collection<String> tags, Map<String, List<String>> keysByReportedTag) {
		Dropped dropped = this.dropped.get();
		if (dropped != null) {
			PageUrls.addAll(dropped.withoutTagHeader(),
					keysByReportedTag.getOrDefault(EdgePurger.Purge.PURGED_BY_URL_TAG, List.of()));
			PageUrls.addAll(dropped.all(), keysByReportedTag.getOrDefault(EdgePurger.Purge.ALL_PAGES_TAG, List.of()));
		}
	}

	/**
	 * What to purge for a purge of every page, read before the store drops them: the
	 * token every page carries at edges that purge by tag, and the URL of every page in
	 * the store's index at the others (whose purge module may have no wildcard).
	 * @return the targets of each kind of edge
	 */
	Targets everything() {
		if (this.purgers.stream().allMatch(EdgePurger::purgesByTag)) {
			return Targets.EVERYTHING;
		}
		try {
			return new Targets(EdgePurger.Purge.everything(), new EdgePurger.Purge(Set.of(), PageUrls.all(this.store)));
		}
		catch (RuntimeException ex) {
			logger.warn("The page store cannot list its pages; purging every page at the edge: " + ex.getMessage());
			return Targets.EVERYTHING;
		}
	}

	/**
	 * Purge the targets at every edge, and once more after the repurge delay. Never
	 * throws: a purge that fails is queued.
	 * @param targets what to purge
	 */
	void purge(Targets targets) {
		sendAll(targets);
		this.repurges.schedule(targets);
	}

	private void sendAll(Targets targets) {
		for (EdgePurger purger : this.purgers) {
			EdgePurger.Purge purge = purger.purgesByTag() ? targets.byTag() : targets.byUrl();
			if (!purge.isEmpty()) {
				send(purger, purge);
			}
		}
	}

	private void send(EdgePurger purger, EdgePurger.Purge purge) {
		for (EdgePurger.Purge batch : PageUrls.batches(purge, MAX_URLS_PER_PURGE)) {
			try {
				purger.purge(batch);
				this.failures.succeeded(purger.name());
			}
			catch (RuntimeException ex) {
				this.failures.failed(purger.name(), ex);
				queue(purger, batch);
			}
		}
	}

	private void queue(EdgePurger purger, EdgePurger.Purge purge) {
		try {
			this.queue.add(purger.name(), purge);
		}
		catch (RuntimeException queueFailure) {
			logger.error("A failed edge purge of " + purger.name() + " could not be queued: " + purge, queueFailure);
		}
	}

	/**
	 * Retry the queued purges of each purger, oldest first, unless its last retry failed
	 * too recently.
	 */
	synchronized void retryQueued() {
		try {
			long now = System.nanoTime();
			for (EdgePurger purger : this.purgers) {
				Backoff backoff = this.backoffs.computeIfAbsent(purger.name(), (name) -> new Backoff());
				if (now - backoff.nextRetryNanos >= 0) {
					retryQueued(purger, backoff);
				}
			}
		}
		catch (RuntimeException ex) {
			// the queue cannot be read now (Redis down): the next round tries again
			logger.debug("Queued edge purges not read: " + ex.getMessage());
		}
	}

	/**
	 * Retry one purger's queue, oldest first; a failure holds back its next retry, not
	 * those of the other purgers.
	 */
	private void retryQueued(EdgePurger purger, Backoff backoff) {
		for (int i = 0; i < RETRIES_PER_ROUND; i++) {
			EdgePurger.Purge queued = this.queue.peek(purger.name());
			if (queued == null) {
				break;
			}
			try {
				retry(purger, queued);
			}
			catch (RuntimeException ex) {
				this.failures.failed(purger.name(), ex);
				backoff.nextRetryNanos = System.nanoTime() + backoff.delay.toNanos();
				Duration doubled = backoff.delay.multipliedBy(2);
				backoff.delay = (doubled.compareTo(this.maxRetryInterval) < 0) ? doubled : this.maxRetryInterval;
				return;
			}
			this.queue.remove(purger.name(), queued);
			this.failures.succeeded(purger.name());
		}
		backoff.delay = this.retryInterval;
	}

	/**
	 * Send a queued purge again. A purge of every page (the queue of an edge down for
	 * long) becomes, at an edge that purges by URL, the URLs of every page the store
	 * holds now, in batches.
	 */
	private void retry(EdgePurger purger, EdgePurger.Purge queued) {
		if (purger.purgesByTag() || !queued.isEverything()) {
			purger.purge(queued);
			return;
		}
		EdgePurger.Purge urls = new EdgePurger.Purge(Set.of(), PageUrls.all(this.store));
		for (EdgePurger.Purge batch : PageUrls.batches(urls, MAX_URLS_PER_PURGE)) {
			purger.purge(batch);
		}
	}

	/**
	 * The state of the purges: how many failed purges wait in the queue, and the last
	 * failure.
	 * @return the status
	 */
	Status status() {
		long queued = 0;
		for (EdgePurger purger : this.purgers) {
			queued += this.queue.size(purger.name());
		}
		return new Status(queued, this.failures.lastFailure(), this.failures.lastFailureAt());
	}

	/**
	 * Stop retrying, and send the second purges still waiting at once rather than drop
	 * them: the writes of the last moments may have responses of other instances on their
	 * way to the edge.
	 */
	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
		this.repurges.stop();
	}

	/**
	 * How purges are sent and retried.
	 *
	 * @param repurgeDelay the delay of the second purge, zero for none
	 * @param retryInterval the first delay before a failed purge is retried
	 * @param maxRetryInterval the longest delay between two retries
	 */
	record Settings(Duration repurgeDelay, Duration retryInterval, Duration maxRetryInterval) {

	}

	/**
	 * What an invalidation purges at each kind of edge.
	 *
	 * @param byTag for edges that purge by tag
	 * @param byUrl for edges that purge by URL
	 */
	record Targets(EdgePurger.Purge byTag, EdgePurger.Purge byUrl) {

		static final Targets EVERYTHING = new Targets(EdgePurger.Purge.everything(), EdgePurger.Purge.everything());

		/**
		 * These targets and the URLs of others.
		 * @param others more targets
		 * @return both
		 */
		Targets and(Targets others) {
			return new Targets(withUrls(this.byTag, others.byTag), withUrls(this.byUrl, others.byUrl));
		}

		private static EdgePurger.Purge withUrls(EdgePurger.Purge purge, EdgePurger.Purge more) {
			if (purge.isEverything() || more.urls().isEmpty()) {
				return purge;
			}
			Set<String> urls = new LinkedHashSet<>(purge.urls());
			urls.addAll(more.urls());
			return new EdgePurger.Purge(purge.tags(), urls);
		}

	}

	/**
	 * The URLs of the pages an invalidation dropped.
	 *
	 * @param withoutTagHeader of those that carry no tag header
	 * @param all of all of them
	 */
	private record Dropped(Set<String> withoutTagHeader, Set<String> all) {

	}

	/**
	 * The state of the edge purges.
	 *
	 * @param queued the failed purges waiting to be retried
	 * @param lastFailure the purger and message of the last failure, or {@code null} if
	 * none since start-up
	 * @param lastFailureAt when it happened
	 */
	record Status(long queued, @Nullable String lastFailure, @Nullable Instant lastFailureAt) {

	}

	/** When a purger's queue is retried next, and the delay after its next failure. */
	private final class Backoff {

		private Duration delay = EdgePurges.this.retryInterval;

		private long nextRetryNanos = System.nanoTime();

	}

}
