package dev.pagecache.store;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The result of {@link PageStore#lookup(String)}: the entry, if any, the store position
 * at the time of the lookup, and on a miss why the page was not there.
 *
 * @param entry the entry, or {@code null} on a miss
 * @param sequence the number of invalidations the store had recorded
 * @param epoch the store's epoch, which changes when it is cleared or loses its data;
 * {@code null} when the store has none yet, in which case no {@code put} will be accepted
 * @param missReason why the page was missing; {@code null} on a hit,
 * {@link MissReason#FIRST} on a miss when none is given
 * @author pagecache
 */
public record PageLookup(@Nullable PageEntry entry, long sequence, @Nullable String epoch,
		@Nullable MissReason missReason) {

	public PageLookup {
		if (entry != null) {
			missReason = null;
		}
		else if (missReason == null) {
			missReason = MissReason.FIRST;
		}
	}

	/**
	 * Create a lookup whose miss, if it is one, is a first render.
	 * @param entry the entry, or {@code null} on a miss
	 * @param sequence the number of invalidations the store had recorded
	 * @param epoch the store's epoch
	 */
	public PageLookup(@Nullable PageEntry entry, long sequence, @Nullable String epoch) {
		this(entry, sequence, epoch, null);
	}

	/**
	 * Whether the lookup found an entry.
	 * @return {@code true} on a hit
	 */
	public boolean isHit() {
		return this.entry != null;
	}

	/**
	 * Why a lookup found no page, as precisely as the store can tell. A store remembers,
	 * for a while after a page is gone, whether it was invalidated or when it was due to
	 * expire; past that memory, or for a page never stored, the miss is a {@link #FIRST
	 * first} render.
	 *
	 */
	public enum MissReason {

		/**
		 * The page was never stored, or not within the time the store remembers why pages
		 * went.
		 */
		FIRST,

		/**
		 * One of the page's tags was invalidated, or the whole cache was cleared.
		 */
		INVALIDATED,

		/**
		 * The page reached the end of its time to live.
		 */
		EXPIRED,

		/**
		 * The page went before its time to live without an invalidation: the store made
		 * room for others.
		 */
		EVICTED;

		private final String tagValue = name().toLowerCase(Locale.ROOT);

		/**
		 * The reason's name in statistics and meter tags.
		 * @return the lower-case name, such as {@code invalidated}
		 */
		public String tagValue() {
			return this.tagValue;
		}

	}

}
