package dev.pagecache.web;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;

/**
 * The calls of the request path to the {@link PageStore}, none of which fails a request
 * (DESIGN R1): a store that cannot be reached answers as if it held nothing and stored
 * nothing, and pages are served uncached. Its first failure is logged as a warning and so
 * is the first success after it; between them, at debug level.
 *
 * @author pagecache
 */
final class StoreCalls {

	/** Under the filter's name, the one category users turn on for the request path. */
	private static final Log logger = LogFactory.getLog(PageCacheFilter.class);

	private static final VarHandle DOWN;

	static {
		try {
			DOWN = MethodHandles.lookup().findVarHandle(StoreCalls.class, "down", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final PageStore store;

	/** A field, not an {@code AtomicBoolean}: a hit reads it with one load fewer. */
	private volatile boolean down;

	StoreCalls(PageStore store) {
		this.store = store;
	}

	/**
	 * Look a page up.
	 * @param key the page key
	 * @return the lookup, or {@code null} if the store cannot be reached
	 */
	@Nullable PageLookup lookup(String key) {
		try {
			PageLookup lookup = this.store.lookup(key);
			answered();
			return lookup;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return null;
		}
	}

	/**
	 * Store a page unless an invalidation raced its render.
	 * @param key the page key
	 * @param entry the page
	 * @param ttl how long it lives
	 * @param lookup the lookup made before the render
	 * @return whether it was stored
	 */
	boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup) {
		try {
			boolean stored = this.store.put(key, entry, ttl, lookup);
			answered();
			return stored;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return false;
		}
	}

	/**
	 * Take the lease of a page.
	 * @param key the page key
	 * @param duration how long it holds
	 * @return {@code true} if this instance may render the page: it holds the lease, or
	 * the store cannot be asked
	 */
	boolean lease(String key, Duration duration) {
		try {
			boolean taken = this.store.lease(key, duration);
			answered();
			return taken;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return true;
		}
	}

	/**
	 * Give the lease of a page back.
	 * @param key the page key
	 */
	void release(String key) {
		try {
			this.store.release(key);
			answered();
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	boolean isDown() {
		return this.down;
	}

	private void answered() {
		if (this.down && DOWN.compareAndSet(this, true, false)) {
			logger.info("Page store " + this.store.getName() + " is reachable again; caching resumes");
		}
	}

	private void failed(RuntimeException ex) {
		if (DOWN.compareAndSet(this, false, true)) {
			logger.warn("Page store " + this.store.getName() + " failed; serving pages uncached until it recovers: "
					+ ex.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Page store " + this.store.getName() + " still failing", ex);
		}
	}

}
