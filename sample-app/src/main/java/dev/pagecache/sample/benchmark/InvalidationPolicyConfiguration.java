package dev.pagecache.sample.benchmark;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.HibernatePageCacheIntegration;

import org.springframework.beans.factory.ObjectProvider;
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
	 * Replaces the auto-configured integration (it backs off), giving it the page cache
	 * as the policy sees it.
	 */
	@Bean
	static HibernatePageCacheIntegration hibernatePageCacheIntegration(Environment environment,
			ObjectProvider<PageCache> pageCache) {
		InvalidationPolicy policy = Binder.get(environment)
			.bind(POLICY_PROPERTY, InvalidationPolicy.class)
			.orElse(InvalidationPolicy.PRECISE);
		return new HibernatePageCacheIntegration(() -> {
			PageCache cache = pageCache.getIfAvailable();
			return (cache != null) ? new PolicyPageCache(cache, policy) : null;
		});
	}

}
