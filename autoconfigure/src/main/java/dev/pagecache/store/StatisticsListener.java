package dev.pagecache.store;

import dev.pagecache.store.PageLookup.MissReason;

import java.util.Collection;
import java.util.Locale;

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
	 * A page was rendered but not stored.
	 * @param page the route's URL pattern
	 * @param reason why it was not stored
	 */
	default void notStored(String page, NotStoredReason reason) {
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

	/**
	 * Why a page that was rendered on a miss was not stored (DESIGN S1, S2 and section
	 * 6): one name per rule, so that its counts stay bounded.
	 */
	enum NotStoredReason {

		/**
		 * Its status is not one of {@code pagecache.cacheable-statuses}, an error or a
		 * redirect included.
		 */
		STATUS,

		/** The response was committed before its handler was known to be the page's. */
		COMMITTED,

		/** Its body grew past {@code pagecache.max-entry-size}; it streamed through. */
		TOO_LARGE,

		/** The request went async. */
		ASYNC,

		/** The response set a cookie. */
		COOKIE,

		/** The render created an HTTP session. */
		SESSION,

		/** The application marked it {@code private} or {@code no-store}. */
		CACHE_CONTROL,

		/** Its {@code Vary} names a header outside the key. */
		VARY,

		/** Its {@code Content-Security-Policy} carries a nonce. */
		CSP_NONCE,

		/** The application encoded its body already. */
		CONTENT_ENCODING,

		/**
		 * The render read a request header outside the key (one the client sent), or the
		 * client address.
		 */
		UNKEYED_INPUT,

		/** The render took longer than {@code pagecache.max-render-time}. */
		SLOW_RENDER,

		/**
		 * The store refused it: one of its tags was invalidated while it rendered, its
		 * route holds more than {@code pagecache.redis.max-pages-per-route} pages, or it
		 * does not fit in the in-memory store.
		 */
		REFUSED,

		/** The store could not be reached. */
		STORE_UNAVAILABLE;

		private final String tagValue = camelCase(name());

		/**
		 * The reason's name in statistics, such as {@code unkeyedInput}.
		 * @return the name
		 */
		public String tagValue() {
			return this.tagValue;
		}

		private static String camelCase(String name) {
			StringBuilder camel = new StringBuilder();
			for (String word : name.toLowerCase(Locale.ROOT).split("_")) {
				camel.append(camel.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
			}
			return camel.toString();
		}

	}

}
