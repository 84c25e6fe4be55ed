package dev.pagecache.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageStore.HotPage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DemandSampler}: exact counts at low rates, bounded buffers and counts,
 * concurrent writers, and the flush into the store's hot list.
 *
 * @author pagecache
 */
class DemandSamplerTests {

	private final InMemoryPageStore store = new InMemoryPageStore(100, 1024 * 1024, Duration.ofSeconds(10),
			Clock.systemUTC());

	@Test
	void everyRequestIsCountedAtLowRatesAndTheFlushAddsTheCountsToTheHotList() {
		DemandSampler sampler = new DemandSampler(this.store, 256, Duration.ofSeconds(1));
		for (int i = 0; i < 3; i++) {
			sampler.record("GET http://localhost/posts/1");
		}
		sampler.record("GET http://localhost/about");
		sampler.flush();
		assertThat(this.store.hottest(10, 0.5)).containsExactly(new HotPage("GET http://localhost/posts/1", 3),
				new HotPage("GET http://localhost/about", 1));
		sampler.record("GET http://localhost/about");
		sampler.flush();
		assertThat(this.store.hottest(10, 0.5)).as("each flush adds what was counted since the last one")
			.containsExactly(new HotPage("GET http://localhost/posts/1", 3),
					new HotPage("GET http://localhost/about", 2));
	}

	@Test
	void aFullStripeDropsWhatItCannotHoldUntilTheNextDrain() {
		DemandSampler sampler = new DemandSampler(this.store, 16, Duration.ofSeconds(1));
		for (int i = 0; i < 20; i++) {
			sampler.record("/a");
		}
		sampler.drain();
		for (int i = 0; i < 5; i++) {
			sampler.record("/a");
		}
		sampler.drain();
		assertThat(sampler.takeCounts()).containsExactly(entry("/a", 21L));
	}

	@Test
	void digestedKeysAreNotCounted() {
		DemandSampler sampler = new DemandSampler(this.store, 256, Duration.ofSeconds(1));
		String digested = "GET http://localhost/search?q=" + "x".repeat(66) + "...#" + "A".repeat(43);
		assertThat(PageKeys.isDigested(digested)).isTrue();
		assertThat(PageKeys.isDigested("GET http://localhost/search?q=...#")).isFalse();
		sampler.record(digested);
		sampler.record("/a");
		sampler.drain();
		assertThat(sampler.takeCounts()).containsExactly(entry("/a", 1L));
	}

	@Test
	void countsAreBoundedAndANewKeyInheritsTheLeastCount() {
		DemandSampler sampler = new DemandSampler(this.store, 4096, Duration.ofSeconds(1));
		for (int i = 0; i < 5; i++) {
			sampler.record("/hot");
		}
		for (int i = 1; i < DemandSampler.MAX_COUNTED; i++) {
			sampler.record("/cold/" + i);
		}
		sampler.drain();
		sampler.record("/new");
		sampler.drain();
		Map<String, Long> counts = sampler.takeCounts();
		assertThat(counts).hasSize(DemandSampler.MAX_FLUSHED).containsEntry("/hot", 5L).containsEntry("/new", 2L);
		assertThat(counts.keySet().iterator().next()).isEqualTo("/hot");
		assertThat(sampler.takeCounts()).as("counting starts again after a flush").isEmpty();
	}

	@Test
	void concurrentWritersNeverHaveARequestCountedTwiceNorAKeyMadeUp() throws Exception {
		DemandSampler sampler = new DemandSampler(this.store, 64, Duration.ofSeconds(1));
		int writers = 8;
		int requests = 20_000;
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread drainer = new Thread(() -> {
			while (writing.get()) {
				sampler.drain();
			}
		});
		drainer.start();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int w = 0; w < writers; w++) {
			int writer = w;
			Thread thread = new Thread(() -> {
				awaitQuietly(start);
				for (int i = 0; i < requests; i++) {
					sampler.record("/w" + writer + "/" + (i % 10));
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		writing.set(false);
		drainer.join();
		sampler.drain();
		Map<String, Long> counts = sampler.takeCounts();
		assertThat(counts.keySet()).allMatch((key) -> key.matches("/w[0-7]/[0-9]"));
		assertThat(counts.values()).allMatch((count) -> count >= 0 && count <= requests / 10);
		assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isPositive();
		for (int i = 0; i < 5; i++) {
			sampler.record("/after");
		}
		sampler.drain();
		assertThat(sampler.takeCounts()).as("the buffers still count exactly once drained")
			.containsExactly(entry("/after", 5L));
	}

	@Test
	void runningSamplerFlushesEveryInterval() {
		DemandSampler sampler = new DemandSampler(this.store, 256, Duration.ofMillis(100));
		sampler.start();
		try {
			assertThat(sampler.isRunning()).isTrue();
			sampler.record("/a");
			sampler.record("/a");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.store.hottest(10, 0.5)).containsExactly(new HotPage("/a", 2)));
		}
		finally {
			sampler.stop();
		}
		assertThat(sampler.isRunning()).isFalse();
	}

	@Test
	void offCountsNothing() {
		DemandSampler.OFF.record("/a");
		DemandSampler.OFF.drain();
		assertThat(DemandSampler.OFF.takeCounts()).isEmpty();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
