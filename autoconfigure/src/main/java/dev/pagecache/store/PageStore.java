package dev.pagecache.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where pages are kept: entries by key, an index from tags to the keys that carry them,
 * and an invalidation sequence that guards stores against renders that raced a write.
 * <p>
 * The guard works as follows: {@link #lookup(String)} returns, with the entry, the
 * store's current position (the number of invalidations so far, and an epoch that changes
 * when the store is cleared or loses its data). A render that started from that lookup
 * passes it back to {@link #put(String, PageEntry, Duration, PageLookup)}, which refuses
 * the entry when one of its tags was invalidated since that position. Because the lookup
 * happens before the render reads any data, a page rendered from data older than a
 * committed, invalidated write is never stored.
 * <p>
 * Implementations are thread-safe. A store that cannot be reached throws
 * {@link PageStoreUnavailableException}; callers serve the request uncached.
 *
 * @author pagecache
 */
public interface PageStore {

	/** The key {@link #check()} looks up; no page is ever stored under it. */
	String PROBE_KEY = "pagecache:probe";

	/**
	 * Read the entry for a key, with the position a later {@code put} needs.
	 * @param key the page key
	 * @return the lookup, whose entry is {@code null} on a miss
	 */
	PageLookup lookup(String key);

	/**
	 * Store an entry, unless one of its tags was invalidated since the lookup or the
	 * store was cleared.
	 * @param key the page key
	 * @param entry the entry, with its tags
	 * @param ttl how long the entry lives
	 * @param lookup the lookup made before the render
	 * @return whether the entry was stored
	 */
	boolean put(String key, PageEntry entry, Duration ttl, PageLookup lookup);

	/**
	 * Drop every entry that carries one of the tags and record the invalidation, so that
	 * renders that started earlier are not stored.
	 * @param tags the tags
	 * @return the number of entries dropped
	 */
	long invalidate(Collection<String> tags);

	/**
	 * Report, with every later {@linkplain #invalidate(Collection) invalidation}, which
	 * of the entries it dropped carry some tags: to the listener, in the invalidating
	 * thread, before {@code invalidate} returns. The report holds, for each reported tag,
	 * the keys of exactly those entries that this invalidation dropped and that carry the
	 * tag, each once: an entry stored after any earlier read of the index, up to the
	 * moment the invalidation ran, included; an entry already gone (expired, evicted,
	 * dropped by another invalidation) left out. An invalidation that fails reports
	 * nothing. Edge caches need it: they must be purged of every page the store dropped.
	 * Stores report only once a listener is set, so that invalidations cost nothing more
	 * without one; setting another listener replaces the first.
	 * <p>
	 * By default nothing is reported: a store that cannot tell which entries it dropped
	 * leaves its callers with what they read from the index before the invalidation
	 * ({@link #keysTagged(String)}), which misses an entry stored in between.
	 * @param reportedTags the tags whose carriers among the dropped entries are reported
	 * @param listener where reports go
	 */
	default void setDroppedPagesListener(Collection<String> reportedTags, DroppedPagesListener listener) {
	}

	/**
	 * Drop every entry.
	 */
	void clear();

	/**
	 * The keys of the live entries that carry a tag: all of them, however many. A shared
	 * store reads them in slices of bounded work rather than in one long command, which
	 * would hold up every other client.
	 * @param tag the tag
	 * @return the keys
	 */
	List<String> keysTagged(String tag);

	/**
	 * The keys of some live entries that carry a tag, at a cost bounded by the limit
	 * rather than by the number of entries: for views that must stay cheap however many
	 * pages a tag has. A store may return fewer than the limit while more exist, when
	 * many of the entries it looked at were gone. By default, the first keys of
	 * {@link #keysTagged(String)}: a store whose full list is costly overrides it.
	 * @param tag the tag
	 * @param limit the most keys to return
	 * @return at most {@code limit} keys
	 */
	default List<String> keysTagged(String tag, int limit) {
		List<String> keys = keysTagged(tag);
		return List.copyOf(keys.subList(0, Math.min(limit, keys.size())));
	}

	/**
	 * The number of live entries that carry a tag, for statistics, at a cost that should
	 * not grow with the number of entries: a store may estimate it from a sample. By
	 * default, the size of {@link #keysTagged(String)}, counted.
	 * @param tag the tag
	 * @return the number of entries, counted or estimated
	 */
	default PageCount countTagged(String tag) {
		return PageCount.exact(keysTagged(tag).size());
	}

	/**
	 * The tags of some pages, for views that show what a page depends on: one read for
	 * all of them, whose cost grows with the number of keys only. By default none, for a
	 * store that does not keep them apart.
	 * @param keys the page keys
	 * @return the tags of each page stored now, sorted; pages not stored are left out
	 */
	default Map<String, List<String>> tagsOf(List<String> keys) {
		return Map.of();
	}

	/**
	 * Try to become, for a while, the one instance sharing this store that renders a
	 * page, so that a page many instances miss at once is rendered about once. A
	 * {@link #put} that stores the page gives this instance's lease back; a render that
	 * stores nothing {@linkplain #release(String) releases} it. Stores of one instance
	 * grant every lease.
	 * @param key the page key
	 * @param duration how long the lease holds unless released
	 * @return {@code true} if this instance holds the lease now
	 */
	default boolean lease(String key, Duration duration) {
		return true;
	}

	/**
	 * Give a lease back, if this instance holds it.
	 * @param key the page key
	 */
	default void release(String key) {
	}

	/**
	 * Set how the store's hot list counts: how fast past requests count less, how many
	 * pages it keeps, which pages are hot, and how many of them an invalidation hands to
	 * the {@linkplain #setRefreshListener(RefreshListener) refresh listener}. Until
	 * called, {@link HotList#DEFAULT}.
	 * @param hotList the settings
	 */
	default void setHotList(HotList hotList) {
	}

	/**
	 * Add requests that this instance counted to the hot list, which every instance
	 * sharing the store adds to: each page's score (its requests, halved every
	 * {@linkplain HotList#halfLife() half-life}) grows by its count, and only the
	 * {@linkplain HotList#maxPages() hottest pages} are kept. Called now and then in the
	 * background, never on the request path. By default the store keeps no hot list.
	 * @param requests requests per page key since the last call
	 */
	default void addRequests(Map<String, Long> requests) {
	}

	/**
	 * The hottest pages of the hot list, best first. A {@link #clear()} leaves the list
	 * as it is: it is what a cleared cache is warmed from.
	 * @param limit the most pages to return
	 * @param minRequests the lowest score returned
	 * @return at most {@code limit} pages scoring at least {@code minRequests}
	 */
	default List<HotPage> hottest(int limit, double minRequests) {
		return List.of();
	}

	/**
	 * Hand, with every later {@linkplain #invalidate(Collection) invalidation}, the hot
	 * pages it dropped to a listener: those it deleted itself whose score is at least
	 * {@link HotList#minRequests()}, best first, at most
	 * {@link HotList#maxPerInvalidation()}; and tell it about every {@link #clear()}. The
	 * listener runs in the invalidating thread, before {@code invalidate} returns, and is
	 * not called for an invalidation that dropped no hot page. Stores look scores up only
	 * once a listener is set; setting another listener replaces the first. By default
	 * nothing is handed over.
	 * @param listener where hot pages go
	 */
	default void setRefreshListener(RefreshListener listener) {
	}

	/**
	 * Check that the store answers as a request's lookup would reach it (through the
	 * store's timeout and circuit breaker), for the health indicator and the endpoint. By
	 * default one lookup of a key under which no page is stored; a store made of parts
	 * (the shards of a Redis Cluster) checks every part.
	 * @throws RuntimeException if the store, or a part of it, cannot be reached
	 */
	default void check() {
		lookup(PROBE_KEY);
	}

	/**
	 * A short name of the store type, such as {@code redis} or {@code memory}.
	 * @return the name
	 */
	String getName();

	/**
	 * Told which entries an invalidation dropped, as
	 * {@link PageStore#setDroppedPagesListener(Collection, DroppedPagesListener)}
	 * describes.
	 */
	@FunctionalInterface
	interface DroppedPagesListener {

		/**
		 * An invalidation dropped entries.
		 * @param tags the invalidated tags
		 * @param keysByReportedTag for each reported tag, the keys of the dropped entries
		 * that carry it (an empty list for a tag none of them carries)
		 */
		void dropped(Collection<String> tags, Map<String, List<String>> keysByReportedTag);

	}

	/**
	 * Told which hot pages invalidations dropped, so that it may render them again before
	 * readers ask, as {@link PageStore#setRefreshListener(RefreshListener)} describes.
	 */
	interface RefreshListener {

		/**
		 * An invalidation dropped hot pages.
		 * @param pages the hot pages it dropped, best first
		 */
		void hotPagesDropped(List<HotPage> pages);

		/**
		 * The store was cleared; its hot list was left as it was.
		 */
		default void cleared() {
		}

	}

	/**
	 * A page of the hot list.
	 *
	 * @param key the page key
	 * @param requests its score: its requests across the instances sharing the store,
	 * halved every half-life
	 */
	record HotPage(String key, double requests) {

	}

	/**
	 * How a store's hot list counts.
	 *
	 * @param halfLife how long until a request counts half
	 * @param maxPages the most pages the list keeps (the coldest go first)
	 * @param minRequests the score from which a page is hot
	 * @param maxPerInvalidation the most hot pages one invalidation hands over
	 */
	record HotList(Duration halfLife, int maxPages, double minRequests, int maxPerInvalidation) {

		/**
		 * Half-life 10 minutes, 1000 pages, hot from 3 requests, 32 per invalidation.
		 */
		public static final HotList DEFAULT = new HotList(Duration.ofMinutes(10), 1000, 3, 32);

		/**
		 * Check the settings.
		 * @param halfLife how long until a request counts half
		 * @param maxPages the most pages the list keeps
		 * @param minRequests the score from which a page is hot
		 * @param maxPerInvalidation the most hot pages one invalidation hands over
		 */
		public HotList {
			if (halfLife.toMillis() <= 0 || maxPages <= 0 || !(minRequests > 0) || maxPerInvalidation < 0) {
				throw new IllegalArgumentException("A hot list needs a half-life of at least 1 ms, at least one page, "
						+ "a positive minimum score and no negative number of pages per invalidation");
			}
		}

	}

	/**
	 * A number of entries, counted or estimated.
	 *
	 * @param entries the number of entries
	 * @param estimated whether {@code entries} is an estimate (from a sample of them)
	 * rather than a count
	 */
	record PageCount(long entries, boolean estimated) {

		/**
		 * A number of entries that was counted.
		 * @param entries the number
		 * @return the count
		 */
		public static PageCount exact(long entries) {
			return new PageCount(entries, false);
		}

		/**
		 * A number of entries estimated from a sample.
		 * @param entries the estimate
		 * @return the count
		 */
		public static PageCount estimated(long entries) {
			return new PageCount(entries, true);
		}

	}

}
