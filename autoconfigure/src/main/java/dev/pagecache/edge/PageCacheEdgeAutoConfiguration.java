package dev.pagecache.edge;

import java.util.List;
import java.util.function.Supplier;

import dev.pagecache.PageCache;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.store.PageStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the edge tier ({@code pagecache.edge.enabled=true}): the
 * {@link EdgePurger}s (Varnish with {@code pagecache.edge.varnish.endpoints}, nginx,
 * Fastly and Cloudflare as their properties say, and any {@code EdgePurger} bean of the
 * application), the purges that send them every invalidation of the {@link PageCache},
 * the queue of failed purges (in Redis with the Redis store, in memory otherwise) and,
 * with the actuator, the health of the purges ({@code pageCacheEdge}). The shared-cache
 * headers of pages are set by the page cache filter.
 *
 * @author pagecache
 */
@AutoConfiguration(after = PageCacheRedisAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("pagecache.edge.enabled")
@EnableConfigurationProperties(PageCacheProperties.class)
@Import({ EdgePurgersConfiguration.class, EdgeHealthConfiguration.class })
public final class PageCacheEdgeAutoConfiguration {

	@Bean
	@Conditional(OnVarnishEndpoints.class)
	@ConditionalOnMissingBean(name = "pageCacheVarnishPurger")
	VarnishPurger pageCacheVarnishPurger(PageCacheProperties properties) {
		PageCacheProperties.Edge edge = properties.getEdge();
		return new VarnishPurger(edge.getVarnish().getEndpoints(), edge.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	EdgePurges pageCacheEdgePurges(ObjectProvider<EdgePurger> purgers, PageStore store,
			ObjectProvider<EdgePurgeQueue> queue, PageCacheProperties properties) {
		PageCacheProperties.Edge edge = properties.getEdge();
		List<EdgePurger> all = purgers.orderedStream().toList();
		return new EdgePurges(all, store, queue.getIfAvailable(InMemoryEdgePurgeQueue::new),
				new EdgePurges.Settings(edge.getRepurgeDelay(), edge.getRetryInterval(), edge.getMaxRetryInterval()));
	}

	/**
	 * The state of the purges (failed purges queued, the last failure), which the page
	 * cache endpoint shows.
	 */
	@Bean
	Supplier<Object> pageCacheEdgeStatus(EdgePurges purges) {
		return purges::status;
	}

	/**
	 * Sends every invalidation of the {@link PageCache} bean to the edge too.
	 */
	@Bean
	static BeanPostProcessor pageCacheEdgePurgingPostProcessor(ObjectProvider<EdgePurges> purges) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof PageCache pageCache && !(bean instanceof PurgingPageCache)) {
					return new PurgingPageCache(pageCache, purges.getObject());
				}
				return bean;
			}

		};
	}

	/**
	 * Failed purges wait in the page store's Redis, where every instance retries them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnBean(name = PageCacheRedisAutoConfiguration.CONNECTION_FACTORY)
	static final class RedisQueueConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EdgePurgeQueue pageCacheEdgePurgeQueue(
				@Qualifier(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
				PageCacheProperties properties) {
			return new RedisEdgePurgeQueue(connectionFactory, properties.getRedis().getNamespace());
		}

	}

	/**
	 * Whether {@code pagecache.edge.varnish.endpoints} names at least one endpoint.
	 */
	static final class OnVarnishEndpoints extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			List<String> endpoints = Binder.get(context.getEnvironment())
				.bind("pagecache.edge.varnish.endpoints", Bindable.listOf(String.class))
				.orElse(List.of());
			return endpoints.isEmpty() ? ConditionOutcome.noMatch("no pagecache.edge.varnish.endpoints")
					: ConditionOutcome.match("pagecache.edge.varnish.endpoints " + endpoints);
		}

	}

}
