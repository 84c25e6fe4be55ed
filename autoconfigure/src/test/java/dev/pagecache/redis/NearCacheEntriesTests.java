package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NearCacheEntries}: bounded by size, oldest first, expired pages go,
 * invalidation by tag.
 *
 * @author pagecache
 */
class NearCacheEntriesTests {

	private final NearCacheEntries entries = new NearCacheEntries(300);

	@Test
	void oldestPageGoesFirstWhenFull() {
		this.entries.put(entry("/1", 100, 1000), 0);
		this.entries.put(entry("/2", 100, 1000), 0);
		this.entries.put(entry("/3", 100, 1000), 0);
		this.entries.put(entry("/4", 100, 1000), 0);
		assertThat(this.entries.readView()).containsOnlyKeys("/2", "/3", "/4");
		assertThat(this.entries.bytes()).isEqualTo(300);
	}

	@Test
	void expiredPagesGoWhenAPageIsAdded() {
		this.entries.put(entry("/1", 10, 50), 0);
		this.entries.put(entry("/2", 10, 1000), 100);
		assertThat(this.entries.readView()).containsOnlyKeys("/2");
	}

	@Test
	void replacedPageIsCountedOnce() {
		this.entries.put(entry("/1", 100, 1000), 0);
		this.entries.put(entry("/1", 120, 1000), 0);
		assertThat(this.entries.bytes()).isEqualTo(120);
	}

	@Test
	void invalidationRemovesThePagesOfItsTagsOnly() {
		this.entries.put(entry("/1", 10, 1000, "Post#1"), 0);
		this.entries.put(entry("/2", 10, 1000, "Post#2", "Post:*"), 0);
		this.entries.put(entry("/3", 10, 1000, "Post:*"), 0);
		this.entries.removeTagged(List.of("Post#2"));
		assertThat(this.entries.readView()).containsOnlyKeys("/1", "/3");
		this.entries.removeTagged(List.of("Post:*"));
		assertThat(this.entries.readView()).containsOnlyKeys("/1");
		assertThat(this.entries.bytes()).isEqualTo(10);
	}

	@Test
	void clearSaysWhetherAnythingWasHeld() {
		assertThat(this.entries.clear()).isFalse();
		this.entries.put(entry("/1", 10, 1000), 0);
		assertThat(this.entries.clear()).isTrue();
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.entries.bytes()).isZero();
	}

	private static NearCacheEntry entry(String key, long size, long expiresAt, String... tags) {
		PageEntry page = new PageEntry(200, List.of(), key.getBytes(StandardCharsets.UTF_8), key.length(), "\"e\"", 0,
				Set.of(tags));
		return new NearCacheEntry(key, new PageLookup(page, 0, "Xq3mX9a_E2lT0pVb", null), expiresAt, size);
	}

}
