package dev.pagecache.sample.benchmark;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * Registers the benchmark's {@link CeilingFilter} where the page cache filter sits: right after Spring
 * Security's filter chain, or at {@code pagecache.filter.order} when that is set (as when the benchmark
 * measures the filter before Security).
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class BenchmarkConfiguration {

	@Bean
	FilterRegistrationBean<CeilingFilter> ceilingFilter(Environment environment) {
		int securityOrder = environment.getProperty("spring.security.filter.order", Integer.class, -100);
		FilterRegistrationBean<CeilingFilter> registration = new FilterRegistrationBean<>(new CeilingFilter());
		registration.setOrder(environment.getProperty("pagecache.filter.order", Integer.class, securityOrder + 1));
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns(CeilingFilter.PREFIX + "/*");
		return registration;
	}

}
