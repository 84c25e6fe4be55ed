package dev.pagecache.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryPageStore}: the {@link PageStoreContractTests contract} and
 * its bounds.
 *
 * @author pagecache
 */
class InMemoryPageStoreTests extends PageStoreContractTests {

	@Override
	protected PageStore createStore(Clock clock) {
		return new InMemoryPageStore(1000, 10 * 1024 * 1024, MAX_RENDER_TIME, clock);
	}

	@Test
	void nameIsMemory() {
		assertThat(this.store.getName()).isEqualTo("memory");
	}

	@Test
	void leastRecentlyUsedEntryIsEvictedBeyondTheEntryCount() {
		this.store = new InMemoryPageStore(2, 10 * 1024 * 1024, MAX_RENDER_TIME, this.clock);
		putFresh("/a", entry("a", "Page"));
		putFresh("/b", entry("b", "Page"));
		assertThat(this.store.lookup("/a").isHit()).isTrue();
		putFresh("/c", entry("c", "Page"));
		assertThat(this.store.lookup("/a").isHit()).isTrue();
		assertThat(this.store.lookup("/b").isHit()).isFalse();
		assertThat(this.store.lookup("/c").isHit()).isTrue();
		assertThat(((InMemoryPageStore) this.store).size()).isEqualTo(2);
		assertThat(this.store.keysTagged("Page")).containsExactlyInAnyOrder("/a", "/c");
		assertThat(this.store.invalidate(List.of("Page"))).isEqualTo(2);
	}

	@Test
	void leastRecentlyUsedEntriesAreEvictedBeyondTheByteBudget() {
		PageEntry entry = entry("x".repeat(1000), "Page");
		long size = entry.estimatedSize() + "/a".length();
		this.store = new InMemoryPageStore(1000, 2 * size + size / 2, MAX_RENDER_TIME, this.clock);
		putFresh("/a", entry);
		putFresh("/b", entry);
		assertThat(this.store.lookup("/a").isHit()).isTrue();
		putFresh("/c", entry);
		assertThat(this.store.lookup("/a").isHit()).isTrue();
		assertThat(this.store.lookup("/b").isHit()).isFalse();
		assertThat(this.store.lookup("/c").isHit()).isTrue();
		assertThat(((InMemoryPageStore) this.store).size()).isEqualTo(2);
	}

	@Test
	void entryLargerThanTheByteBudgetIsRefused() {
		PageEntry entry = entry("x".repeat(1000), "Page");
		this.store = new InMemoryPageStore(1000, entry.estimatedSize(), MAX_RENDER_TIME, this.clock);
		putFresh("/small", entry("s", "Page"));
		assertThat(this.store.put("/large", entry, Duration.ofMinutes(1), this.store.lookup("/large"))).isFalse();
		assertThat(this.store.lookup("/large").isHit()).isFalse();
		assertThat(this.store.lookup("/small").isHit()).isTrue();
	}

	@Test
	void invalidationRecordsAreForgottenAfterTheLongestRenderTime() {
		PageLookup lookup = this.store.lookup("/posts/1");
		this.store.invalidate(List.of("Post#1"));
		this.clock.advance(MAX_RENDER_TIME.plusMillis(1));
		// the caller refuses renders older than the longest render time; the store
		// forgets the record
		assertThat(this.store.put("/posts/1", entry("late", "Post#1"), TTL, lookup)).isTrue();
	}

}
