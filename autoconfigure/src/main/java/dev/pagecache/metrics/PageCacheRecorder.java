package dev.pagecache.metrics;

import java.util.Collection;

import dev.pagecache.store.MissReason;

/**
 * Receives what the page cache does, for figures and meters. Called on the request path:
 * implementations count and return, without allocating, blocking or logging. Every method
 * does nothing by default.
 * <p>
 * Pages are named by their route's URL pattern ({@code /posts/{id}}), never by a raw URL,
 * so that the number of names stays bounded.
 *
 * @author pagecache
 */
public interface PageCacheRecorder {

	/**
	 * A recorder that records nothing.
	 */
	PageCacheRecorder NONE = new PageCacheRecorder() {
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
