package dev.pagecache.actuate;

import dev.pagecache.store.PageStore;

/**
 * Checks that the page store answers, with the same path a request takes: one lookup,
 * through the store's timeout and circuit breaker.
 *
 * @author pagecache
 */
final class PageStoreProbe {

	/** The key the probe looks up; no page is ever stored under it. */
	static final String KEY = "pagecache:probe";

	private PageStoreProbe() {
	}

	/**
	 * Look up the probe key.
	 * @param store the store
	 * @throws RuntimeException if the store cannot be reached
	 */
	static void check(PageStore store) {
		store.lookup(KEY);
	}

	/**
	 * The store's state, as the health endpoint names it.
	 * @param store the store
	 * @return {@code UP} or {@code DOWN}
	 */
	static String state(PageStore store) {
		try {
			check(store);
			return "UP";
		}
		catch (RuntimeException ex) {
			return "DOWN";
		}
	}

}
