package dev.pagecache.sample.benchmark;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Registers the benchmark's {@link CeilingFilter} at the page cache filter's order (right
 * after Spring Security's filter chain by default, before it when the benchmark measures
 * that); with the cache turned off, right after Spring Security's filter chain.
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class BenchmarkConfiguration {

	/**
	 * The name under which the starter registers its filter, for applications that order
	 * their own filters around it.
	 */
	private static final String PAGE_CACHE_FILTER_REGISTRATION = "pageCacheFilterRegistration";

	@Bean
	FilterRegistrationBean<CeilingFilter> ceilingFilter(BeanFactory beanFactory, Environment environment) {
		int order = beanFactory.containsBean(PAGE_CACHE_FILTER_REGISTRATION)
				? beanFactory.getBean(PAGE_CACHE_FILTER_REGISTRATION, Ordered.class).getOrder()
				: environment.getProperty("spring.security.filter.order", Integer.class, -100) + 1;
		FilterRegistrationBean<CeilingFilter> registration = new FilterRegistrationBean<>(new CeilingFilter());
		registration.setOrder(order);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns(CeilingFilter.PREFIX + "/*");
		return registration;
	}

}
