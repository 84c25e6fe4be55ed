package dev.pagecache.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

/**
 * The page cache's statistics on this instance: a {@link StatisticsListener} that counts
 * with {@link LongAdder}s, per page and per entity type. Counting a hit is a map read and
 * an increment.
 * <p>
 * Pages are the routes' URL patterns, a number fixed at start-up. Invalidations are
 * counted by the entity type of each tag (the part before {@code #} of {@code Post#42},
 * the type of {@code Post:*}, the tag itself for a type tag such as {@code Post};
 * {@code path} and {@code route} for path and route tags, {@code *} for a clear), at most
 * {@value #MAX_TYPES} types, then as {@value #OTHER_TYPE}, so that tags chosen at run
 * time cannot multiply them.
 *
 * @author pagecache
 */
public final class PageCacheStatistics implements StatisticsListener {

	/** The most entity types counted apart. */
	static final int MAX_TYPES = 100;

	/** The type of invalidations past {@link #MAX_TYPES}. */
	static final String OTHER_TYPE = "(other)";

	/** The type of clears. */
	static final String ALL_TYPES = "*";

	private static final MissReason[] REASONS = MissReason.values();

	private static final NotStoredReason[] NOT_STORED_REASONS = NotStoredReason.values();

	private final Map<String, LivePageStatistics> pages = new ConcurrentHashMap<>();

	private final LongAdder invalidations = new LongAdder();

	private final Map<String, LongAdder> invalidationsByType = new ConcurrentHashMap<>();

	private final List<BiConsumer<String, LivePageStatistics>> pageListeners = new CopyOnWriteArrayList<>();

	private final List<BiConsumer<String, LongAdder>> typeListeners = new CopyOnWriteArrayList<>();

	/**
	 * Start counting for pages, so that they have statistics (zeros) before their first
	 * request.
	 * @param pages the pages' URL patterns
	 */
	public void register(Collection<String> pages) {
		pages.forEach(this::live);
	}

	@Override
	public void hit(String page) {
		live(page).hits.increment();
	}

	@Override
	public void miss(String page, MissReason reason, long renderNanos) {
		LivePageStatistics live = live(page);
		live.misses[reason.ordinal()].increment();
		live.renders.increment();
		live.renderNanos.add(Math.max(0, renderNanos));
	}

	@Override
	public void stored(String page) {
		live(page).stores.increment();
	}

	@Override
	public void notStored(String page, NotStoredReason reason) {
		live(page).notStored[reason.ordinal()].increment();
	}

	@Override
	public void bypassed(String page) {
		live(page).bypasses.increment();
	}

	@Override
	public void invalidated(Collection<String> tags) {
		this.invalidations.increment();
		Set<String> types = new LinkedHashSet<>();
		for (String tag : tags) {
			types.add(typeOf(tag));
		}
		types.forEach((type) -> typeAdder(type).increment());
	}

	@Override
	public void cleared() {
		this.invalidations.increment();
		typeAdder(ALL_TYPES).increment();
	}

	/**
	 * The statistics now.
	 * @return the statistics, pages sorted by URL pattern
	 */
	public StatisticsSnapshot snapshot() {
		List<PageStatistics> pages = new ArrayList<>();
		new TreeMap<>(this.pages).forEach((page, live) -> pages.add(live.snapshot(page)));
		Map<String, Long> byType = new TreeMap<>();
		this.invalidationsByType.forEach((type, count) -> byType.put(type, count.sum()));
		return new StatisticsSnapshot(pages, this.invalidations.sum(), byType);
	}

	/**
	 * Call back for every page counted now and every page counted later, once.
	 * @param listener receives the page and its live statistics
	 */
	synchronized void onPage(BiConsumer<String, LivePageStatistics> listener) {
		this.pageListeners.add(listener);
		this.pages.forEach(listener);
	}

	/**
	 * Call back for every entity type counted now and every type counted later, once.
	 * @param listener receives the type and its invalidations
	 */
	synchronized void onType(BiConsumer<String, LongAdder> listener) {
		this.typeListeners.add(listener);
		this.invalidationsByType.forEach(listener);
	}

	private LivePageStatistics live(String page) {
		LivePageStatistics live = this.pages.get(page);
		return (live != null) ? live : newLive(page);
	}

	private synchronized LivePageStatistics newLive(String page) {
		LivePageStatistics live = this.pages.get(page);
		if (live == null) {
			live = new LivePageStatistics();
			this.pages.put(page, live);
			for (BiConsumer<String, LivePageStatistics> listener : this.pageListeners) {
				listener.accept(page, live);
			}
		}
		return live;
	}

	private synchronized LongAdder typeAdder(String type) {
		LongAdder adder = this.invalidationsByType.get(type);
		if (adder == null) {
			if (this.invalidationsByType.size() >= MAX_TYPES) {
				return (type.equals(OTHER_TYPE)) ? newTypeAdder(type) : typeAdder(OTHER_TYPE);
			}
			adder = newTypeAdder(type);
		}
		return adder;
	}

	private LongAdder newTypeAdder(String type) {
		LongAdder adder = new LongAdder();
		this.invalidationsByType.put(type, adder);
		for (BiConsumer<String, LongAdder> listener : this.typeListeners) {
			listener.accept(type, adder);
		}
		return adder;
	}

	/**
	 * The entity type a tag concerns.
	 * @param tag the tag
	 * @return the type
	 */
	static String typeOf(String tag) {
		if (tag.startsWith("path:")) {
			return "path";
		}
		if (tag.startsWith("route:")) {
			return "route";
		}
		int hash = tag.indexOf('#');
		if (hash > 0) {
			return tag.substring(0, hash);
		}
		if (tag.endsWith(":*") && tag.length() > 2) {
			return tag.substring(0, tag.length() - 2);
		}
		return tag;
	}

	/**
	 * The statistics of one page as they are counted.
	 */
	static final class LivePageStatistics {

		final LongAdder hits = new LongAdder();

		final LongAdder[] misses = new LongAdder[REASONS.length];

		final LongAdder stores = new LongAdder();

		final LongAdder[] notStored = new LongAdder[NOT_STORED_REASONS.length];

		final LongAdder bypasses = new LongAdder();

		final LongAdder renders = new LongAdder();

		final LongAdder renderNanos = new LongAdder();

		LivePageStatistics() {
			for (int i = 0; i < this.misses.length; i++) {
				this.misses[i] = new LongAdder();
			}
			for (int i = 0; i < this.notStored.length; i++) {
				this.notStored[i] = new LongAdder();
			}
		}

		long misses(MissReason reason) {
			return this.misses[reason.ordinal()].sum();
		}

		PageStatistics snapshot(String page) {
			return new PageStatistics(page, this.hits.sum(), misses(MissReason.FIRST), misses(MissReason.INVALIDATED),
					misses(MissReason.EXPIRED), misses(MissReason.EVICTED), this.stores.sum(), this.bypasses.sum(),
					this.renders.sum(), this.renderNanos.sum(), notStored());
		}

		private Map<NotStoredReason, Long> notStored() {
			Map<NotStoredReason, Long> counts = new EnumMap<>(NotStoredReason.class);
			for (NotStoredReason reason : NOT_STORED_REASONS) {
				counts.put(reason, this.notStored[reason.ordinal()].sum());
			}
			return counts;
		}

	}

}
