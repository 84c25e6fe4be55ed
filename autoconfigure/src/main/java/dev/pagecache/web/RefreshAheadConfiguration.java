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

	private static final double MAX_SHARE = 0.2;

	private static final Duration MAX_ADMISSION_DELAY = Duration.ofMillis(20);

	private static final double MAX_CPU_LOAD = 0.9;

	private static final Duration MAX_BACK_OFF = Duration.ofSeconds(5);

	private static final int MAX_QUEUE = 1000;

	@Bean
	DemandSampler pageCacheDemandSampler(PageStore store, PageCacheProperties properties) {
		PageCacheProperties.RefreshAhead refreshAhead = properties.getRefreshAhead();
		store.setHotList(hotList(refreshAhead));
		return new DemandSampler(store, refreshAhead.getDemandBuffer(), refreshAhead.getFlushInterval());
	}

	@Bean
	RefreshMarker pageCacheRefreshMarker() {
		return RefreshMarker.random();
	}

	@Bean
	Refresher pageCacheRefresher(PageStore store, PageRoutes routes, RefreshMarker marker,
			PageCacheProperties properties, Environment environment) {
		RefreshLimiter limiter = new RefreshLimiter(MAX_SHARE, Runtime.getRuntime().availableProcessors(),
				MAX_ADMISSION_DELAY, MAX_CPU_LOAD, MAX_BACK_OFF, System::nanoTime, RefreshAheadConfiguration::cpuLoad);
		Refresher refresher = new Refresher(routes, limiter, marker, MAX_QUEUE, properties.getMaxRenderTime(),
				environment);
		store.setRefreshListener(refresher);
		return refresher;
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
