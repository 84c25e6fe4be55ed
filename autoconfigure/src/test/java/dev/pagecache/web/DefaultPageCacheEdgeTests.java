package dev.pagecache.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link DefaultPageCache} of an application behind an edge: an
 * invalidation returns only once the shared responses that began before it are on the
 * network, so that the edge purge sent after it comes after them.
 *
 * @author pagecache
 */
class DefaultPageCacheEdgeTests {

	private static final String POST_1 = "GET http://localhost:80/posts/1";

	private final InMemoryPageStore store = new InMemoryPageStore(100, 1 << 20, Duration.ofSeconds(30),
			Clock.systemUTC());

	private final InFlightResponses inFlight = new InFlightResponses();

	@Test
	void invalidationReturnsOnceTheSharedResponsesThatBeganBeforeItAreOnTheNetwork() throws Exception {
		put(POST_1, "Post#1");
		DefaultPageCache cache = new DefaultPageCache(this.store, this.inFlight, Duration.ofSeconds(10));
		long earlier = this.inFlight.enter();
		Thread invalidation = new Thread(() -> cache.invalidateTags(List.of("Post#1")));
		invalidation.start();
		Thread.sleep(200);
		long later = this.inFlight.enter();
		assertThat(this.store.keysTagged("Post#1")).as("the store invalidated at once").isEmpty();
		assertThat(invalidation.isAlive()).as("returned while a response that began before is in flight").isTrue();
		this.inFlight.exit(earlier);
		invalidation.join(10_000);
		assertThat(invalidation.isAlive()).as("returned once it reached the network, whatever began since").isFalse();
		this.inFlight.exit(later);
	}

	@Test
	void invalidationWaitsNoLongerThanTheTimeout() throws Exception {
		DefaultPageCache cache = new DefaultPageCache(this.store, this.inFlight, Duration.ofMillis(100));
		long stuck = this.inFlight.enter();
		long start = System.nanoTime();
		cache.clear();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		this.inFlight.exit(stuck);
	}

	private void put(String key, String... tags) {
		PageEntry entry = new PageEntry(200, List.of(), new byte[0], 0, "\"e\"", System.currentTimeMillis(),
				Set.of(tags));
		assertThat(this.store.put(key, entry, Duration.ofMinutes(1), this.store.lookup(key))).isTrue();
	}

}
