package dev.pagecache.web;

import java.time.Duration;

import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.store.PageStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Refresh-ahead ({@code pagecache.refresh-ahead}), imported by
 * {@link PageCacheAutoConfiguration}: the store's hot list settings and the sampler that
 * counts the pages this instance serves into it.
 *
 * @author pagecache
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "pagecache.refresh-ahead.enabled", matchIfMissing = true)
class RefreshAheadConfiguration {

	@Bean
	DemandSampler pageCacheDemandSampler(PageStore store, PageCacheProperties properties) {
		PageCacheProperties.RefreshAhead refreshAhead = properties.getRefreshAhead();
		store.setHotList(hotList(refreshAhead));
		return new DemandSampler(store, refreshAhead.getDemandBuffer(), refreshAhead.getFlushInterval());
	}

	static PageStore.HotList hotList(PageCacheProperties.RefreshAhead refreshAhead) {
		Duration halfLife = refreshAhead.getHalfLife();
		return new PageStore.HotList(halfLife, refreshAhead.getMaxHotPages(), refreshAhead.getMinRequests(),
				refreshAhead.getMaxPerInvalidation());
	}

}
