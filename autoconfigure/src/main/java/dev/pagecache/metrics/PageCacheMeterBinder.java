package dev.pagecache.metrics;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.pagecache.metrics.PageCacheStatistics.PageCounters;
import dev.pagecache.store.MissReason;

/**
 * Binds the page cache's figures on this instance to Micrometer, as function counters and
 * a function timer over {@link PageCacheStatistics}, so that recording costs nothing more
 * than the figures do:
 * <ul>
 * <li>{@code pagecache.requests} (tags {@code page}, {@code result}: {@code hit},
 * {@code miss}, {@code bypass}): requests of cached pages;</li>
 * <li>{@code pagecache.misses} ({@code page}, {@code reason}: {@code first},
 * {@code invalidated}, {@code expired}, {@code evicted}): misses by why the page was not
 * in the store;</li>
 * <li>{@code pagecache.stores} ({@code page}): renders stored;</li>
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
	 * @param statistics the figures to bind
	 */
	public PageCacheMeterBinder(PageCacheStatistics statistics) {
		this.statistics = statistics;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.statistics.onPage((page, counters) -> bindPage(registry, page, counters));
		this.statistics.onType((type, counter) -> bindType(registry, type, counter));
	}

	private static void bindPage(MeterRegistry registry, String page, PageCounters counters) {
		Tags tags = Tags.of("page", page);
		request(registry, tags, "hit", counters, counters.hits);
		FunctionCounter.builder("pagecache.requests", counters, (c) -> sumOfMisses(c))
			.tags(tags)
			.tag("result", "miss")
			.description("Requests of cached pages")
			.register(registry);
		request(registry, tags, "bypass", counters, counters.bypasses);
		for (MissReason reason : MissReason.values()) {
			FunctionCounter.builder("pagecache.misses", counters, (c) -> c.misses(reason))
				.tags(tags)
				.tag("reason", reason.tagValue())
				.description("Misses of cached pages by why the page was not in the store")
				.register(registry);
		}
		FunctionCounter.builder("pagecache.stores", counters, (c) -> c.stores.sum())
			.tags(tags)
			.description("Rendered pages stored")
			.register(registry);
		FunctionTimer
			.builder("pagecache.render", counters, (c) -> c.renders.sum(), (c) -> c.renderNanos.sum(),
					TimeUnit.NANOSECONDS)
			.tags(tags)
			.description("Renders of pages the store did not have")
			.register(registry);
	}

	private static void request(MeterRegistry registry, Tags tags, String result, PageCounters counters,
			LongAdder counter) {
		FunctionCounter.builder("pagecache.requests", counters, (c) -> counter.sum())
			.tags(tags)
			.tag("result", result)
			.description("Requests of cached pages")
			.register(registry);
	}

	private static double sumOfMisses(PageCounters counters) {
		long misses = 0;
		for (MissReason reason : MissReason.values()) {
			misses += counters.misses(reason);
		}
		return misses;
	}

	private static void bindType(MeterRegistry registry, String type, LongAdder counter) {
		FunctionCounter.builder("pagecache.invalidations", counter, LongAdder::sum)
			.tag("type", type)
			.description("Invalidations by entity type")
			.register(registry);
	}

}
