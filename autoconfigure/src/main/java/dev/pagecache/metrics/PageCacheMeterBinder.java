package dev.pagecache.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.pagecache.metrics.PageCacheStatistics.LivePageStatistics;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

/**
 * Binds the page cache's statistics on this instance to Micrometer, as function counters
 * and a function timer over {@link PageCacheStatistics}, so that meters cost nothing more
 * than the statistics do:
 * <ul>
 * <li>{@code pagecache.requests} (tags {@code page}, {@code result}: {@code hit},
 * {@code miss}, {@code bypass}): requests of cached pages;</li>
 * <li>{@code pagecache.misses} ({@code page}, {@code reason}: {@code first},
 * {@code invalidated}, {@code expired}, {@code evicted}): misses by why the page was not
 * in the store;</li>
 * <li>{@code pagecache.stores} ({@code page}): renders stored;</li>
 * <li>{@code pagecache.not.stored} ({@code page}, {@code reason}: {@code cookie},
 * {@code session}, {@code status}, {@code unkeyedInput}, {@code refused},
 * {@code storeUnavailable}, ... one per {@link NotStoredReason}): renders not stored, by
 * the rule that kept them out;</li>
 * <li>{@code pagecache.render} ({@code page}): a timer of the renders of misses;</li>
 * <li>{@code pagecache.invalidations} ({@code type}): invalidations by entity type.</li>
 * </ul>
 * Tag values are bounded: {@code page} is a route's URL pattern, never a URL;
 * {@code type} is at most 100 entity types and {@code (other)}.
 *
 * @author pagecache
 */
public final class PageCacheMeterBinder implements MeterBinder {

	private final PageCacheStatistics statistics;

	/**
	 * Create a binder.
	 * @param statistics the statistics to bind
	 */
	public PageCacheMeterBinder(PageCacheStatistics statistics) {
		this.statistics = statistics;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.statistics.onPage((page, live) -> bindPage(registry, page, live));
		this.statistics.onType((type, invalidations) -> bindType(registry, type, invalidations));
	}

	private static void bindPage(MeterRegistry registry, String page, LivePageStatistics live) {
		Tags tags = Tags.of("page", page);
		request(registry, tags, "hit", live, live.hits);
		FunctionCounter.builder("pagecache.requests", live, (l) -> sumOfMisses(l))
			.tags(tags)
			.tag("result", "miss")
			.description("Requests of cached pages")
			.register(registry);
		request(registry, tags, "bypass", live, live.bypasses);
		for (MissReason reason : MissReason.values()) {
			FunctionCounter.builder("pagecache.misses", live, (l) -> l.misses(reason))
				.tags(tags)
				.tag("reason", reason.tagValue())
				.description("Misses of cached pages by why the page was not in the store")
				.register(registry);
		}
		FunctionCounter.builder("pagecache.stores", live, (l) -> l.stores.sum())
			.tags(tags)
			.description("Rendered pages stored")
			.register(registry);
		notStored(registry, tags, live);
		FunctionTimer
			.builder("pagecache.render", live, (l) -> l.renders.sum(), (l) -> l.renderNanos.sum(), TimeUnit.NANOSECONDS)
			.tags(tags)
			.description("Renders of pages the store did not have")
			.register(registry);
	}

	private static void notStored(MeterRegistry registry, Tags tags, LivePageStatistics live) {
		for (NotStoredReason reason : NotStoredReason.values()) {
			FunctionCounter.builder("pagecache.not.stored", live, (l) -> l.notStored[reason.ordinal()].sum())
				.tags(tags)
				.tag("reason", reason.tagValue())
				.description("Rendered pages not stored, by the rule that kept them out")
				.register(registry);
		}
	}

	private static void request(MeterRegistry registry, Tags tags, String result, LivePageStatistics live,
			LongAdder adder) {
		FunctionCounter.builder("pagecache.requests", live, (l) -> adder.sum())
			.tags(tags)
			.tag("result", result)
			.description("Requests of cached pages")
			.register(registry);
	}

	private static double sumOfMisses(LivePageStatistics live) {
		long misses = 0;
		for (MissReason reason : MissReason.values()) {
			misses += live.misses(reason);
		}
		return misses;
	}

	private static void bindType(MeterRegistry registry, String type, LongAdder invalidations) {
		FunctionCounter.builder("pagecache.invalidations", invalidations, LongAdder::sum)
			.tag("type", type)
			.description("Invalidations by entity type")
			.register(registry);
	}

}
