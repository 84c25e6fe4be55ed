package dev.pagecache.store;

import java.util.Locale;

/**
 * Why a lookup found no page, as precisely as the store can tell. A store remembers, for
 * a while after a page is gone, whether it was invalidated or when it was due to expire;
 * past that memory, or for a page never stored, the miss is a {@link #FIRST first}
 * render.
 *
 * @author pagecache
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
	 * The page went before its time to live without an invalidation: the store made room
	 * for others.
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
