package dev.pagecache.store;

import org.jspecify.annotations.Nullable;

/**
 * The result of {@link PageStore#lookup(String)}: the entry, if any, and the store position at the time
 * of the lookup.
 *
 * @param entry the entry, or {@code null} on a miss
 * @param sequence the number of invalidations the store had recorded
 * @param epoch the store's epoch, which changes when it is cleared or loses its data; {@code null} when
 * the store has none yet, in which case no {@code put} will be accepted
 * @author pagecache
 */
public record PageLookup(@Nullable PageEntry entry, long sequence, @Nullable String epoch) {

	/**
	 * Whether the lookup found an entry.
	 * @return {@code true} on a hit
	 */
	public boolean isHit() {
		return this.entry != null;
	}

}
