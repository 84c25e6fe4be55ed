package dev.pagecache.sample.benchmark;

import jakarta.servlet.DispatcherType;

import dev.pagecache.web.PageCacheFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * Registers the benchmark's {@link CeilingFilter} at the page cache filter's order (right
 * after Spring Security's filter chain by default, before it when the benchmark measures
 * that); with the cache turned off, right after Spring Security's filter chain.
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class BenchmarkConfiguration {

	@Bean
	FilterRegistrationBean<CeilingFilter> ceilingFilter(
			ObjectProvider<FilterRegistrationBean<PageCacheFilter>> pageCacheFilter, Environment environment) {
		FilterRegistrationBean<PageCacheFilter> pageCache = pageCacheFilter.getIfAvailable();
		int order = (pageCache != null) ? pageCache.getOrder()
				: environment.getProperty("spring.security.filter.order", Integer.class, -100) + 1;
		FilterRegistrationBean<CeilingFilter> registration = new FilterRegistrationBean<>(new CeilingFilter());
		registration.setOrder(order);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns(CeilingFilter.PREFIX + "/*");
		return registration;
	}

}
