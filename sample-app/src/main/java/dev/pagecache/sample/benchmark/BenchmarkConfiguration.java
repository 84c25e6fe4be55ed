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
 * Registers the benchmark's {@link CeilingFilter} where the page cache serves public
 * hits: at the order of its registration before Spring Security's filter chain when it
 * has one ({@code pagecache.filter.placement=auto}, the default), else at its filter's
 * order (after Security, or before it with {@code placement=before-security}); with the
 * cache turned off, right after Spring Security's filter chain.
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class BenchmarkConfiguration {

	/**
	 * The name under which the starter registers its filter, for applications that order
	 * their own filters around it.
	 */
	private static final String PAGE_CACHE_FILTER_REGISTRATION = "pageCacheFilterRegistration";

	/**
	 * The name of the starter's registration before Spring Security, with placement
	 * {@code auto}.
	 */
	private static final String BEFORE_SECURITY_REGISTRATION = "pageCacheBeforeSecurityRegistration";

	@Bean
	FilterRegistrationBean<CeilingFilter> ceilingFilter(BeanFactory beanFactory, Environment environment) {
		String registration = beanFactory.containsBean(BEFORE_SECURITY_REGISTRATION) ? BEFORE_SECURITY_REGISTRATION
				: PAGE_CACHE_FILTER_REGISTRATION;
		int order = beanFactory.containsBean(registration) ? beanFactory.getBean(registration, Ordered.class).getOrder()
				: environment.getProperty("spring.security.filter.order", Integer.class, -100) + 1;
		FilterRegistrationBean<CeilingFilter> ceiling = new FilterRegistrationBean<>(new CeilingFilter());
		ceiling.setOrder(order);
		ceiling.setDispatcherTypes(DispatcherType.REQUEST);
		ceiling.addUrlPatterns(CeilingFilter.PREFIX + "/*");
		return ceiling;
	}

}
