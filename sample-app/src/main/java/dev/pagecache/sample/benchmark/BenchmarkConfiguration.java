package dev.pagecache.sample.benchmark;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Registers the benchmark's {@link CeilingFilter} where the page cache filter sits: right after Spring
 * Security's filter chain.
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class BenchmarkConfiguration {

	@Bean
	FilterRegistrationBean<CeilingFilter> ceilingFilter(
			@Value("${spring.security.filter.order:-100}") int securityFilterOrder) {
		FilterRegistrationBean<CeilingFilter> registration = new FilterRegistrationBean<>(new CeilingFilter());
		registration.setOrder(securityFilterOrder + 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns(CeilingFilter.PREFIX + "/*");
		return registration;
	}

}
