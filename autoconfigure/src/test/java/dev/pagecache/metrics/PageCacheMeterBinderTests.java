package dev.pagecache.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.StatisticsListener.NotStoredReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageCacheMeterBinder}.
 */
class PageCacheMeterBinderTests {

	private final PageCacheStatistics statistics = new PageCacheStatistics();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void rendersNotStoredAreCountedPerPageAndReason() {
		this.statistics.register(List.of("/posts/{id}", "/about"));
		new PageCacheMeterBinder(this.statistics).bindTo(this.registry);
		this.statistics.notStored("/posts/{id}", NotStoredReason.COOKIE);
		this.statistics.notStored("/posts/{id}", NotStoredReason.COOKIE);
		this.statistics.notStored("/posts/{id}", NotStoredReason.STORE_UNAVAILABLE);
		assertThat(notStored("/posts/{id}", "cookie")).isEqualTo(2);
		assertThat(notStored("/posts/{id}", "storeUnavailable")).isEqualTo(1);
		assertThat(notStored("/posts/{id}", "status")).isZero();
		assertThat(notStored("/about", "cookie")).isZero();
		assertThat(this.registry.find("pagecache.not.stored").tag("page", "/about").functionCounters())
			.hasSize(NotStoredReason.values().length);
	}

	@Test
	void aPageCountedAfterBindingGetsItsNotStoredMeters() {
		new PageCacheMeterBinder(this.statistics).bindTo(this.registry);
		this.statistics.notStored("/late", NotStoredReason.TOO_LARGE);
		assertThat(notStored("/late", "tooLarge")).isEqualTo(1);
	}

	private double notStored(String page, String reason) {
		return this.registry.get("pagecache.not.stored")
			.tag("page", page)
			.tag("reason", reason)
			.functionCounter()
			.count();
	}

}
