package dev.pagecache.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The near cache's defaults for an application that adds the starter and sets nothing
 * (DESIGN section 14): on, and bounded by 64 MB or a sixteenth of the heap.
 *
 * @author pagecache
 */
class NearCacheDefaultsTests {

	@Test
	void nearCacheIsOnByDefault() {
		assertThat(new PageCacheProperties().getRedis().getNearCache().isEnabled()).isTrue();
	}

	@Test
	void defaultSizeIsASixteenthOfASmallHeap() {
		assertThat(PageCacheProperties.NearCache.defaultMaxSize(DataSize.ofMegabytes(256).toBytes()))
			.isEqualTo(DataSize.ofMegabytes(16));
	}

	@Test
	void defaultSizeIs64MegabytesOnALargeHeap() {
		assertThat(PageCacheProperties.NearCache.defaultMaxSize(DataSize.ofGigabytes(4).toBytes()))
			.isEqualTo(DataSize.ofMegabytes(64));
		assertThat(PageCacheProperties.NearCache.defaultMaxSize(Long.MAX_VALUE)).isEqualTo(DataSize.ofMegabytes(64));
	}

	@Test
	void defaultSizeFollowsThisJvmsHeap() {
		long maxHeap = Runtime.getRuntime().maxMemory();
		assertThat(new PageCacheProperties().getRedis().getNearCache().getMaxSize())
			.isEqualTo(DataSize.ofBytes(Math.min(DataSize.ofMegabytes(64).toBytes(), maxHeap / 16)));
	}

}
