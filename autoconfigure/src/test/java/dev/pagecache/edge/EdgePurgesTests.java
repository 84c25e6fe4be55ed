package dev.pagecache.edge;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.pagecache.PageCache;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStoreUnavailableException;
import dev.pagecache.test.ExpectedLogs;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EdgePurges} behind a {@link PurgingPageCache}, over a real in-memory
 * store: what each kind of edge is sent, the repurge, and the queue of failed purges.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.edge.EdgePurges", because = "edges fail and a store cannot be read on purpose")
class EdgePurgesTests {

	private static final String POST_1 = "GET http://localhost:80/posts/1";

	private final InMemoryPageStore store = new InMemoryPageStore(2_000, 1 << 24, Duration.ofSeconds(30),
			Clock.systemUTC());

	private final RecordingPurger byTag = new RecordingPurger("tags", true);

	private final RecordingPurger byUrl = new RecordingPurger("urls", false);

	private EdgePurges purges;

	@AfterEach
	void stop() {
		if (this.purges != null) {
			this.purges.destroy();
		}
	}

	@Test
	void invalidationPurgesTokensAtTagEdgesAndUrlsAtUrlEdges() {
		put(POST_1, "Post#1", "path:/posts/1");
		put("GET http://localhost:80/posts/1?page=2", "Post#1");
		put("GET http://localhost:80/posts/1 locale=de", "Post#1");
		put("GET http://localhost:80/posts/2", "Post#2");
		PageCache cache = cache(Duration.ZERO);
		cache.invalidateTags("Post#1");
		assertThat(this.byTag.purges)
			.containsExactly(new EdgePurger.Purge(Set.of(EdgePurger.Purge.token("Post#1")), Set.of()));
		assertThat(this.byUrl.purges)
			.containsExactly(new EdgePurger.Purge(Set.of(), Set.of("/posts/1", "/posts/1?page=2")));
		assertThat(this.store.keysTagged("Post#1")).as("the store invalidated too").isEmpty();
	}

	@Test
	void pagesWithoutTagHeaderArePurgedByUrlAlsoAtTagEdges() {
		put(POST_1, "Post#1", EdgePurger.Purge.PURGED_BY_URL_TAG);
		put("GET http://localhost:80/posts/2", "Post#1");
		put("GET http://localhost:80/posts/3", "Post#3", EdgePurger.Purge.PURGED_BY_URL_TAG);
		cache(Duration.ZERO).invalidateTags("Post#1");
		assertThat(this.byTag.purges)
			.containsExactly(new EdgePurger.Purge(Set.of(EdgePurger.Purge.token("Post#1")), Set.of("/posts/1")));
	}

	@Test
	void clearPurgesEveryPageByTokenAtTagEdgesAndByTheUrlOfEachPageInTheIndexAtUrlEdges() {
		put(POST_1, "Post#1", EdgePurger.Purge.ALL_PAGES_TAG);
		put("GET http://localhost:80/posts/2?page=2", "Post#2", EdgePurger.Purge.ALL_PAGES_TAG);
		put("GET http://localhost:80/posts/2 locale=de", "Post#2", EdgePurger.Purge.ALL_PAGES_TAG);
		cache(Duration.ZERO).clear();
		assertThat(this.byTag.purges).containsExactly(EdgePurger.Purge.everything());
		assertThat(this.byUrl.purges)
			.containsExactly(new EdgePurger.Purge(Set.of(), Set.of("/posts/1", "/posts/2?page=2")));
		assertThat(this.byUrl.purges.get(0).isEverything()).isFalse();
		assertThat(this.store.keysTagged("Post#1")).as("the store cleared too").isEmpty();
	}

	@Test
	void clearOfManyPagesIsPurgedAtUrlEdgesInBoundedBatches() {
		int pages = 2 * EdgePurges.MAX_URLS_PER_PURGE + 1;
		for (int i = 0; i < pages; i++) {
			put("GET http://localhost:80/posts/" + i, "Post#" + i, EdgePurger.Purge.ALL_PAGES_TAG);
		}
		cache(Duration.ZERO).clear();
		assertThat(this.byUrl.purges).hasSize(3)
			.allSatisfy((purge) -> assertThat(purge.urls()).hasSizeLessThanOrEqualTo(EdgePurges.MAX_URLS_PER_PURGE));
		assertThat(this.byUrl.purges.stream().mapToInt((purge) -> purge.urls().size()).sum()).isEqualTo(pages);
	}

	@Test
	void queuedPurgeOfEveryPageIsRetriedAtUrlEdgesAsTheUrlsOfThePagesInTheIndex() {
		put(POST_1, "Post#1", EdgePurger.Purge.ALL_PAGES_TAG);
		this.byUrl.failEverything = true;
		cache(Duration.ZERO);
		this.purges.purge(EdgePurges.Targets.EVERYTHING);
		assertThat(this.purges.status().queued()).isEqualTo(1);
		awaitTrue(() -> this.purges.status().queued() == 0);
		assertThat(this.byUrl.purges).containsExactly(new EdgePurger.Purge(Set.of(), Set.of("/posts/1")));
	}

	@Test
	void storeThatCannotSayWhichPagesCarryTheTagsMakesEveryPagePurged() {
		PageStore down = new UnreadableIndexStore(this.store);
		this.purges = new EdgePurges(List.of(this.byTag), down, new InMemoryEdgePurgeQueue(), settings(Duration.ZERO));
		new PurgingPageCache(new StoreCache(down), this.purges).invalidateTags("Post#1");
		assertThat(this.byTag.purges).containsExactly(EdgePurger.Purge.everything());
	}

	@Test
	void everyPurgeIsSentAgainAfterTheRepurgeDelay() {
		cache(Duration.ofMillis(200)).invalidateTags("Post#1");
		assertThat(this.byTag.purges).hasSize(1);
		awaitTrue(() -> this.byTag.purges.size() == 2);
		assertThat(this.byTag.purges.get(1)).isEqualTo(this.byTag.purges.get(0));
	}

	@Test
	void repurgeIsNotHeldBackByARetryThatWaitsForASlowEdge() {
		CountDownLatch slowEdgeAnswers = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		EdgePurger slow = new EdgePurger() {

			@Override
			public boolean purgesByTag() {
				return false;
			}

			@Override
			public void purge(EdgePurger.Purge purge) {
				if (calls.incrementAndGet() == 1) {
					throw new EdgePurger.PurgeException("edge down");
				}
				try {
					slowEdgeAnswers.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			public String name() {
				return "slow";
			}

		};
		this.purges = new EdgePurges(List.of(this.byTag, slow), this.store, new InMemoryEdgePurgeQueue(),
				settings(Duration.ofMillis(200)));
		put(POST_1, "Post#1");
		try {
			new PurgingPageCache(new StoreCache(this.store), this.purges).invalidateTags("Post#1");
			awaitTrue(() -> calls.get() >= 2);
			// the retry of the failed purge waits for the slow edge; the repurge does not
			awaitTrue(() -> this.byTag.purges.size() == 2);
		}
		finally {
			slowEdgeAnswers.countDown();
		}
	}

	@Test
	void anEdgeThatStaysDownDoesNotHoldBackTheRetriesOfAnother() {
		put(POST_1, "Post#1");
		this.byUrl.failures.set(Integer.MAX_VALUE);
		this.byTag.failures.set(1);
		InMemoryEdgePurgeQueue queue = new InMemoryEdgePurgeQueue();
		this.purges = new EdgePurges(List.of(this.byUrl, this.byTag), this.store, queue, settings(Duration.ZERO));
		new PurgingPageCache(new StoreCache(this.store), this.purges).invalidateTags("Post#1");
		assertThat(queue.size("tags")).isOne();
		awaitTrue(() -> queue.size("tags") == 0);
		assertThat(this.byTag.purges).hasSize(1);
		assertThat(queue.size("urls")).isOne();
	}

	@Test
	void repurgesStillWaitingAtShutdownAreSentAtOnce() {
		cache(Duration.ofMinutes(1)).invalidateTags("Post#1");
		assertThat(this.byTag.purges).hasSize(1);
		this.purges.destroy();
		assertThat(this.byTag.purges).hasSize(2);
	}

	@Test
	void failedPurgeIsQueuedAndRetriedUntilItSucceeds() {
		this.byTag.failures.set(3);
		PageCache cache = cache(Duration.ZERO);
		cache.invalidateTags("Post#1");
		EdgePurges.Status failed = this.purges.status();
		assertThat(failed.queued()).isEqualTo(1);
		assertThat(failed.lastFailure()).isEqualTo("tags: edge down");
		assertThat(failed.lastFailureAt()).isNotNull();
		awaitTrue(() -> this.purges.status().queued() == 0);
		assertThat(this.byTag.purges)
			.containsExactly(new EdgePurger.Purge(Set.of(EdgePurger.Purge.token("Post#1")), Set.of()));
		assertThat(this.byTag.failures).hasValue(0);
	}

	@Test
	void edgeDownForManyRetriesIsOneWarningAndItsRecoveryOneInfo() {
		Logger logger = (Logger) LoggerFactory.getLogger(EdgePurges.class);
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		logger.addAppender(events);
		try {
			this.byTag.failures.set(4);
			cache(Duration.ZERO).invalidateTags("Post#1");
			awaitTrue(() -> messages(events, Level.INFO).size() == 1);
			assertThat(messages(events, Level.WARN)).singleElement()
				.asString()
				.startsWith("Edge purge of tags failed, queued for retry");
			assertThat(messages(events, Level.INFO))
				.containsExactly("Edge purges of tags succeed again, after 4 that failed");
			assertThat(this.purges.status().queued()).isZero();
		}
		finally {
			logger.detachAppender(events);
		}
	}

	private static List<String> messages(ListAppender<ILoggingEvent> events, Level level) {
		synchronized (events.list) {
			return events.list.stream()
				.filter((event) -> event.getLevel() == level)
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}
	}

	@Test
	void queueOfAnEdgeDownForLongBecomesOnePurgeOfEveryPage() {
		InMemoryEdgePurgeQueue queue = new InMemoryEdgePurgeQueue();
		for (int i = 0; i <= EdgePurgeQueue.MAX_LENGTH; i++) {
			queue.add("tags", EdgePurger.Purge.ofTags(List.of("Post#" + i)));
		}
		assertThat(queue.size("tags")).isEqualTo(1);
		assertThat(queue.peek("tags")).isEqualTo(EdgePurger.Purge.everything());
	}

	@Test
	void queuedPurgeReadsBackAsItWasWritten() {
		EdgePurger.Purge purge = new EdgePurger.Purge(Set.of("abc", "def"), Set.of("/posts/1?page=2", "/"));
		assertThat(EdgePurgeQueue.decode(EdgePurgeQueue.encode(purge))).isEqualTo(purge);
	}

	private PageCache cache(Duration repurgeDelay) {
		this.purges = new EdgePurges(List.of(this.byTag, this.byUrl), this.store, new InMemoryEdgePurgeQueue(),
				settings(repurgeDelay));
		return new PurgingPageCache(new StoreCache(this.store), this.purges);
	}

	private static EdgePurges.Settings settings(Duration repurgeDelay) {
		return new EdgePurges.Settings(repurgeDelay, Duration.ofMillis(50), Duration.ofMillis(100));
	}

	private void put(String key, String... tags) {
		PageEntry entry = new PageEntry(200, List.of(), new byte[0], 0, "\"e\"", System.currentTimeMillis(),
				Set.of(tags));
		assertThat(this.store.put(key, entry, Duration.ofMinutes(1), this.store.lookup(key))).isTrue();
	}

	private static void awaitTrue(BooleanSupplier condition) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met within 10 s").isLessThan(deadline);
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	/** A store whose index cannot be read, as a Redis that stopped answering. */
	private static final class UnreadableIndexStore extends ForwardingPageStore {

		UnreadableIndexStore(PageStore store) {
			super(store);
		}

		@Override
		public List<String> keysTagged(String tag) {
			throw new PageStoreUnavailableException("down");
		}

	}

}
