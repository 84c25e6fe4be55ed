package dev.pagecache.store;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link MissReasonContractTests miss reasons} of {@link InMemoryPageStore}, which
 * knows them exactly.
 */
class InMemoryMissReasonTests extends MissReasonContractTests {

	private static final int MAX_ENTRIES = 3;

	private final MutableClock clock = new MutableClock();

	@Override
	protected PageStore createStore() {
		return new InMemoryPageStore(MAX_ENTRIES, 1 << 20, Duration.ofSeconds(10), this.clock);
	}

	@Override
	protected void putAndLetExpire(String key, String... tags) {
		put(key, Duration.ofSeconds(1), tags);
		this.clock.advance(Duration.ofSeconds(2));
	}

	@Override
	protected void evict(String key) {
		for (int i = 0; i < MAX_ENTRIES; i++) {
			put("/filler/" + i, "Filler");
		}
	}

	@Override
	protected void awaitForgotten(String key, Duration retention) {
		this.clock.advance(retention.plusMillis(1));
	}

	@Test
	void pagesEvictedForSizeMissAsEvictedUnlessTheyHadExpired() {
		put("/posts/1", Duration.ofSeconds(1), "Post#1");
		put("/posts/2", "Post#2");
		this.clock.advance(Duration.ofSeconds(2));
		evict("/posts/1");
		assertThat(this.store.lookup("/posts/1").missReason()).isEqualTo(MissReason.EXPIRED);
		assertThat(this.store.lookup("/posts/2").missReason()).isEqualTo(MissReason.EVICTED);
	}

}
