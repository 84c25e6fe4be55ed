package dev.pagecache.sample.benchmark;

import dev.pagecache.PageCache;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The invalidation policy of the workload benchmark, chosen with
 * {@code blog.benchmark.policy}: {@code precise} (the default, the starter's JPA
 * integration as it is), {@code drop-all} (every committed write clears the whole cache)
 * or {@code ttl-only} (writes invalidate nothing). The naive policies keep the JPA
 * integration's timing: whatever they do happens after the commit, before the write's
 * request returns.
 *
 * @author pagecache
 */
@Configuration(proxyBeanMethods = false)
@Profile("benchmark")
class InvalidationPolicyConfiguration {

	static final String POLICY_PROPERTY = "blog.benchmark.policy";

	/**
	 * Wraps the application's {@link PageCache} bean, which the JPA integration sends its
	 * invalidations to, in the policy's view of it.
	 */
	@Bean
	static BeanPostProcessor invalidationPolicyPageCache(Environment environment) {
		InvalidationPolicy policy = Binder.get(environment)
			.bind(POLICY_PROPERTY, InvalidationPolicy.class)
			.orElse(InvalidationPolicy.PRECISE);
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof PageCache cache && policy != InvalidationPolicy.PRECISE)
						? new PolicyPageCache(cache, policy) : bean;
			}

		};
	}

}
