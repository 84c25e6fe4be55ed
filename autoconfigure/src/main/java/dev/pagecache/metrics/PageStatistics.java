package dev.pagecache.metrics;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

/**
 * The statistics of one page (one route, by its URL pattern), or of all pages together.
 *
 * @param page the route's URL pattern
 * @param hits requests served from the store
 * @param firstMisses misses of pages never stored (or not within the miss reason
 * retention)
 * @param invalidatedMisses misses of pages dropped by an invalidation or a clear
 * @param expiredMisses misses of pages that reached their time to live
 * @param evictedMisses misses of pages the store dropped early to make room
 * @param stores renders that were stored (refresh-ahead's included: its renders are no
 * reader's hit or miss)
 * @param bypasses requests served without the store (credentials, non-canonical URI,
 * store unavailable)
 * @param renders renders timed (every reader's miss)
 * @param renderNanos the total time of those renders, in nanoseconds
 * @param notStoredByReason renders that were not stored, by why (reasons without any left
 * out)
 * @author pagecache
 */
public record PageStatistics(String page, long hits, long firstMisses, long invalidatedMisses, long expiredMisses,
		long evictedMisses, long stores, long bypasses, long renders, long renderNanos,
		Map<NotStoredReason, Long> notStoredByReason) {

	private static final NotStoredReason[] NOT_STORED_REASONS = NotStoredReason.values();

	/** The number of values before the counts of renders not stored. */
	private static final int FIXED_VALUES = 9;

	public PageStatistics {
		Map<NotStoredReason, Long> counts = new EnumMap<>(NotStoredReason.class);
		notStoredByReason.forEach((reason, count) -> {
			if (count != 0) {
				counts.put(reason, count);
			}
		});
		notStoredByReason = Collections.unmodifiableMap(counts);
	}

	/**
	 * Statistics of a page none of whose renders went unstored.
	 * @param page the route's URL pattern
	 * @param hits requests served from the store
	 * @param firstMisses misses of pages never stored
	 * @param invalidatedMisses misses of pages dropped by an invalidation or a clear
	 * @param expiredMisses misses of pages that reached their time to live
	 * @param evictedMisses misses of pages the store dropped early to make room
	 * @param stores renders that were stored
	 * @param bypasses requests served without the store
	 * @param renders renders timed (every miss)
	 * @param renderNanos the total time of those renders, in nanoseconds
	 */
	public PageStatistics(String page, long hits, long firstMisses, long invalidatedMisses, long expiredMisses,
			long evictedMisses, long stores, long bypasses, long renders, long renderNanos) {
		this(page, hits, firstMisses, invalidatedMisses, expiredMisses, evictedMisses, stores, bypasses, renders,
				renderNanos, Map.of());
	}

	/**
	 * Renders that were not stored, for whatever reason.
	 * @return the number of renders
	 */
	public long notStored() {
		long notStored = 0;
		for (long count : this.notStoredByReason.values()) {
			notStored += count;
		}
		return notStored;
	}

	/**
	 * Renders that were not stored for one reason.
	 * @param reason the reason
	 * @return the number of renders
	 */
	public long notStored(NotStoredReason reason) {
		return this.notStoredByReason.getOrDefault(reason, 0L);
	}

	/**
	 * Requests that rendered the page because the store did not have it.
	 * @return the number of misses
	 */
	public long misses() {
		return this.firstMisses + this.invalidatedMisses + this.expiredMisses + this.evictedMisses;
	}

	/**
	 * The misses for one reason.
	 * @param reason the reason
	 * @return the number of misses
	 */
	public long misses(MissReason reason) {
		return switch (reason) {
			case FIRST -> this.firstMisses;
			case INVALIDATED -> this.invalidatedMisses;
			case EXPIRED -> this.expiredMisses;
			case EVICTED -> this.evictedMisses;
		};
	}

	/**
	 * The share of hits among hits and misses (bypasses left out).
	 * @return a ratio from 0 to 1; 0 when there was no request
	 */
	public double hitRatio() {
		long requests = this.hits + misses();
		return (requests != 0) ? (double) this.hits / requests : 0;
	}

	/**
	 * The average time a miss took to render.
	 * @return the time in nanoseconds; 0 when nothing rendered
	 */
	public double averageRenderNanos() {
		return (this.renders != 0) ? (double) this.renderNanos / this.renders : 0;
	}

	/**
	 * An estimate of the render time hits saved: each hit saved an average render.
	 * @return the time in nanoseconds
	 */
	public double savedRenderNanos() {
		return this.hits * averageRenderNanos();
	}

	/**
	 * No request yet.
	 * @param page the route's URL pattern
	 * @return statistics of zeros
	 */
	public static PageStatistics empty(String page) {
		return new PageStatistics(page, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());
	}

	/**
	 * These statistics and another's together.
	 * @param page the name of the sum
	 * @param other the other statistics
	 * @return the sums
	 */
	PageStatistics plus(String page, PageStatistics other) {
		long[] values = values();
		long[] others = other.values();
		for (int i = 0; i < values.length; i++) {
			values[i] += others[i];
		}
		return of(page, values);
	}

	/**
	 * The numbers, in the order of the components, then the renders not stored in the
	 * order of their reasons.
	 */
	long[] values() {
		long[] values = new long[FIXED_VALUES + NOT_STORED_REASONS.length];
		long[] fixed = { this.hits, this.firstMisses, this.invalidatedMisses, this.expiredMisses, this.evictedMisses,
				this.stores, this.bypasses, this.renders, this.renderNanos };
		System.arraycopy(fixed, 0, values, 0, FIXED_VALUES);
		for (NotStoredReason reason : NOT_STORED_REASONS) {
			values[FIXED_VALUES + reason.ordinal()] = notStored(reason);
		}
		return values;
	}

	static PageStatistics of(String page, long[] values) {
		Map<NotStoredReason, Long> notStored = new EnumMap<>(NotStoredReason.class);
		for (NotStoredReason reason : NOT_STORED_REASONS) {
			notStored.put(reason, values[FIXED_VALUES + reason.ordinal()]);
		}
		return new PageStatistics(page, values[0], values[1], values[2], values[3], values[4], values[5], values[6],
				values[7], values[8], notStored);
	}

}
