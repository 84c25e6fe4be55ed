package dev.pagecache.store;

import java.util.Collection;

/**
 * Receives what the page cache does, for its statistics: the page cache filter reports
 * hits, misses, stores and bypasses, a {@link StatisticsPageStore} its invalidations and
 * clears. Called on the request path: implementations count and return, without
 * allocating, blocking or logging. Every method does nothing by default.
 * <p>
 * It belongs to the store contract, below the statistics that implement it, so that a
 * store can report to them without depending on them.
 * <p>
 * Pages are named by their route's URL pattern ({@code /posts/{id}}), never by a raw URL,
 * so that the number of names stays bounded.
 *
 * @author pagecache
 */
public interface StatisticsListener {

	/**
	 * A listener that counts nothing.
	 */
	StatisticsListener NONE = new StatisticsListener() {
	};

	/**
	 * A page was served from the store (a {@code 304} answered from the store included).
	 * @param page the route's URL pattern
	 */
	default void hit(String page) {
	}

	/**
	 * A page was rendered because the store did not have it.
	 * @param page the route's URL pattern
	 * @param reason why the store did not have it
	 * @param renderNanos how long the render took, in nanoseconds
	 */
	default void miss(String page, MissReason reason, long renderNanos) {
	}

	/**
	 * A rendered page was stored.
	 * @param page the route's URL pattern
	 */
	default void stored(String page) {
	}

	/**
	 * A request of a page was served without the store: it carried credentials, was not
	 * canonical, or the store could not be reached.
	 * @param page the route's URL pattern
	 */
	default void bypassed(String page) {
	}

	/**
	 * The store recorded an invalidation of tags.
	 * @param tags the invalidated tags
	 */
	default void invalidated(Collection<String> tags) {
	}

	/**
	 * The store dropped every page.
	 */
	default void cleared() {
	}

}
