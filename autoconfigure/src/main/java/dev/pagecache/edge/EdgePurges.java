package dev.pagecache.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 * invalidated page, read from the store's index before the store drops them. When the
 * store cannot say which pages carry the tags, every page is purged.
 *
 * @author pagecache
 */
public final class EdgePurges implements DisposableBean {

	private static final Log logger = LogFactory.getLog(EdgePurges.class);

	private static final int RETRIES_PER_ROUND = 100;

	private static final long SETTLE_NANOS = Duration.ofMillis(10).toNanos();

	private static final EdgePurge NOTHING = new EdgePurge(Set.of(), Set.of());

	private final List<EdgePurger> purgers;

	private final PageStore store;

	private final InFlightResponses inFlight;

	private final EdgePurgeQueue queue;

	private final Duration repurgeDelay;

	private final Duration retryInterval;

	private final Duration maxRetryInterval;

	private final Duration timeout;

	private final ScheduledExecutorService scheduler;

	private Duration backoff;

	private long nextRetryNanos;

	private volatile @Nullable Failure lastFailure;

	EdgePurges(List<EdgePurger> purgers, PageStore store, InFlightResponses inFlight, EdgePurgeQueue queue,
			Settings settings) {
		Set<String> names = new HashSet<>();
		for (EdgePurger purger : purgers) {
			if (!names.add(purger.name())) {
				throw new IllegalStateException("Two edge purgers are named '" + purger.name()
						+ "': give each EdgePurger bean a name() of its own");
			}
		}
		this.purgers = List.copyOf(purgers);
		this.store = store;
		this.inFlight = inFlight;
		this.queue = queue;
		this.repurgeDelay = settings.repurgeDelay();
		this.retryInterval = settings.retryInterval();
		this.maxRetryInterval = settings.maxRetryInterval();
		this.timeout = settings.timeout();
		this.backoff = this.retryInterval;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "pagecache-edge-purges");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.retryInterval.toMillis();
		this.scheduler.scheduleWithFixedDelay(this::retryQueued, interval, interval, TimeUnit.MILLISECONDS);
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
			EdgePurge tagged = byTag
					? new EdgePurge(EdgePurge.ofTags(tags).tags(), PageUrls.taggedWithoutTagHeader(this.store, tags))
					: NOTHING;
			EdgePurge urls = byUrl ? new EdgePurge(Set.of(), PageUrls.tagged(this.store, tags)) : NOTHING;
			return new Targets(tagged, urls);
		}
		catch (RuntimeException ex) {
			logger.warn("The page store cannot say which pages carry " + tags + "; purging every page at the edge: "
					+ ex.getMessage());
			return Targets.EVERYTHING;
		}
	}

	/**
	 * Purge the targets at every edge, once this instance's shared responses that began
	 * before have reached the network (at most the purge timeout), and once more after
	 * the repurge delay. Never throws: a purge that fails is queued.
	 * @param targets what to purge
	 */
	void purge(Targets targets) {
		if (this.inFlight.awaitEarlier(this.timeout)) {
			// a response that was on its way when the store dropped its page is on the
			// network now: give the edge a moment to take it in before it is purged
			LockSupport.parkNanos(SETTLE_NANOS);
		}
		sendAll(targets);
		if (!this.repurgeDelay.isZero()) {
			try {
				this.scheduler.schedule(() -> sendAll(targets), this.repurgeDelay.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (RuntimeException ex) {
				// shutting down: the first purge was sent
				logger.debug("Repurge not scheduled: " + ex.getMessage());
			}
		}
	}

	private void sendAll(Targets targets) {
		for (EdgePurger purger : this.purgers) {
			EdgePurge purge = purger.purgesByTag() ? targets.byTag() : targets.byUrl();
			if (!purge.isEmpty()) {
				send(purger, purge);
			}
		}
	}

	private void send(EdgePurger purger, EdgePurge purge) {
		try {
			purger.purge(purge);
		}
		catch (RuntimeException ex) {
			failed(purger, ex);
			try {
				this.queue.add(purger.name(), purge);
			}
			catch (RuntimeException queueFailure) {
				logger.error("A failed edge purge of " + purger.name() + " could not be queued: " + purge,
						queueFailure);
			}
		}
	}

	private void failed(EdgePurger purger, RuntimeException ex) {
		this.lastFailure = new Failure(purger.name(), String.valueOf(ex.getMessage()), Instant.now());
		logger.warn("Edge purge of " + purger.name() + " failed, queued for retry: " + ex.getMessage());
	}

	/**
	 * Retry the queued purges, oldest first, unless the last retry failed too recently.
	 */
	synchronized void retryQueued() {
		if (System.nanoTime() - this.nextRetryNanos < 0) {
			return;
		}
		try {
			retryEachPurger();
		}
		catch (RuntimeException ex) {
			// the queue cannot be read now (Redis down): the next round tries again
			logger.debug("Queued edge purges not read: " + ex.getMessage());
		}
	}

	private void retryEachPurger() {
		for (EdgePurger purger : this.purgers) {
			for (int i = 0; i < RETRIES_PER_ROUND; i++) {
				EdgePurge queued = this.queue.peek(purger.name());
				if (queued == null) {
					break;
				}
				try {
					purger.purge(queued);
				}
				catch (RuntimeException ex) {
					failed(purger, ex);
					this.nextRetryNanos = System.nanoTime() + this.backoff.toNanos();
					Duration doubled = this.backoff.multipliedBy(2);
					this.backoff = (doubled.compareTo(this.maxRetryInterval) < 0) ? doubled : this.maxRetryInterval;
					return;
				}
				this.queue.remove(purger.name(), queued);
			}
		}
		this.backoff = this.retryInterval;
	}

	/**
	 * The state of the purges: how many failed purges wait in the queue, and the last
	 * failure.
	 * @return the status
	 */
	public Status status() {
		long queued = 0;
		for (EdgePurger purger : this.purgers) {
			queued += this.queue.size(purger.name());
		}
		Failure failure = this.lastFailure;
		return new Status(queued, (failure != null) ? failure.purger() + ": " + failure.message() : null,
				(failure != null) ? failure.at() : null);
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

	/**
	 * How purges are sent and retried.
	 *
	 * @param repurgeDelay the delay of the second purge, zero for none
	 * @param timeout the longest wait for responses in flight before a purge
	 * @param retryInterval the first delay before a failed purge is retried
	 * @param maxRetryInterval the longest delay between two retries
	 */
	record Settings(Duration repurgeDelay, Duration timeout, Duration retryInterval, Duration maxRetryInterval) {

	}

	/**
	 * What an invalidation purges at each kind of edge.
	 *
	 * @param byTag for edges that purge by tag
	 * @param byUrl for edges that purge by URL
	 */
	record Targets(EdgePurge byTag, EdgePurge byUrl) {

		static final Targets EVERYTHING = new Targets(EdgePurge.everything(), EdgePurge.everything());

	}

	/**
	 * The state of the edge purges.
	 *
	 * @param queued the failed purges waiting to be retried
	 * @param lastFailure the purger and message of the last failure, or {@code null} if
	 * none since start-up
	 * @param lastFailureAt when it happened
	 */
	public record Status(long queued, @Nullable String lastFailure, @Nullable Instant lastFailureAt) {

	}

	private record Failure(String purger, String message, Instant at) {

	}

}
