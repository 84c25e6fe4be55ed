package dev.pagecache.actuate;

import dev.pagecache.store.PageStore;

/**
 * Checks that the page store answers, with the same path a request takes
 * ({@link PageStore#check()}).
 *
 * @author pagecache
 */
final class PageStoreProbe {

	private PageStoreProbe() {
	}

	/**
	 * Check the store.
	 * @param store the store
	 * @throws RuntimeException if the store, or a part of it, cannot be reached
	 */
	static void check(PageStore store) {
		store.check();
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
