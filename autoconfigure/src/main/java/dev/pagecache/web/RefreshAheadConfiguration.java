package dev.pagecache.web;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.OperatingSystemMXBean;

import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.store.PageStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Refresh-ahead ({@code pagecache.refresh-ahead}), imported by
 * {@link PageCacheAutoConfiguration}: the store's hot list settings, the sampler that
 * counts the pages this instance serves into it, and the refresher that renders again the
 * hot pages invalidations drop.
 *
 * @author pagecache
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "pagecache.refresh-ahead.enabled", matchIfMissing = true)
class RefreshAheadConfiguration {

	private static final Duration MAX_ADMISSION_DELAY = Duration.ofMillis(20);

	private static final Duration MAX_BACK_OFF = Duration.ofSeconds(5);

	@Bean
	DemandSampler pageCacheDemandSampler(PageStore store, PageCacheProperties properties) {
		PageCacheProperties.RefreshAhead refreshAhead = properties.getRefreshAhead();
		store.setHotList(hotList(refreshAhead));
		return new DemandSampler(store, refreshAhead.getDemandBuffer(), refreshAhead.getFlushInterval());
	}

	@Bean
	Refresher pageCacheRefresher(PageStore store, PageRoutes routes, DemandSampler demand,
			PageCacheProperties properties, Environment environment) {
		PageCacheProperties.RefreshAhead refreshAhead = properties.getRefreshAhead();
		RefreshLimiter limiter = new RefreshLimiter(refreshAhead.getMaxShare(),
				Runtime.getRuntime().availableProcessors(), MAX_ADMISSION_DELAY, refreshAhead.getMaxCpuLoad(),
				MAX_BACK_OFF, System::nanoTime, RefreshAheadConfiguration::cpuLoad);
		Refresher.Settings settings = new Refresher.Settings(refreshAhead.getMaxQueue(), properties.getMaxRenderTime(),
				refreshAhead.getReserve(), refreshAhead.getReservationTimeout(), refreshAhead.isWarmOnClear(),
				refreshAhead.isWarmOnStart());
		Refresher refresher = new Refresher(store, routes, limiter, RefreshMarker.random(), settings, environment);
		store.setRefreshListener(refresher);
		demand.setRequestListener(refresher::requested);
		return refresher;
	}

	@Bean
	PageCacheAutoConfiguration.RefreshAheadStatus pageCacheRefreshAheadStatus(Refresher refresher) {
		return () -> {
			Refresher.Figures figures = refresher.figures();
			return new PageCacheAutoConfiguration.RefreshAheadStatus.Snapshot(figures.refreshed(),
					figures.requestedAfter(), figures.failed(), figures.notReplayable() + figures.overflowed(),
					figures.warmed(), figures.queued(), figures.share());
		};
	}

	/**
	 * The system's CPU load, or a negative value where the JVM cannot tell.
	 */
	private static double cpuLoad() {
		return (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean system)
				? system.getCpuLoad() : -1;
	}

	static PageStore.HotList hotList(PageCacheProperties.RefreshAhead refreshAhead) {
		Duration halfLife = refreshAhead.getHalfLife();
		return new PageStore.HotList(halfLife, refreshAhead.getMaxHotPages(), refreshAhead.getMinRequests(),
				refreshAhead.getMaxPerInvalidation());
	}

}
