package dev.pagecache.edge;

import java.time.Instant;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.store.PageStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the edge tier ({@code pagecache.edge.enabled=true}): the
 * {@link EdgePurger}s (Varnish with {@code pagecache.edge.varnish.endpoints}, nginx,
 * Fastly and Cloudflare as their properties say, and any {@code EdgePurger} bean of the
 * application), the purges that send them every invalidation of the {@link PageCache},
 * the queue of failed purges (in Redis with the Redis store, in memory otherwise), the
 * {@link EdgeStatus} that the {@code pagecache} actuator endpoint and the health
 * indicator {@code pageCacheEdge} show. The shared-cache headers of pages are set by the
 * page cache filter.
 *
 * @author pagecache
 */
@AutoConfiguration(after = PageCacheRedisAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("pagecache.edge.enabled")
@EnableConfigurationProperties(PageCacheProperties.class)
@Import(EdgePurgersConfiguration.class)
public final class PageCacheEdgeAutoConfiguration {

	private static final Log logger = LogFactory.getLog(PageCacheEdgeAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	EdgePurges pageCacheEdgePurges(ObjectProvider<EdgePurger> purgers, PageStore store,
			ObjectProvider<EdgePurgeQueue> queue, PageCacheProperties properties) {
		PageCacheProperties.Edge edge = properties.getEdge();
		List<EdgePurger> all = purgers.orderedStream().toList();
		if (all.isEmpty()) {
			logger.warn("pagecache.edge.enabled is true but no edge is purged: set pagecache.edge.varnish.endpoints, "
					+ "pagecache.edge.nginx.endpoints, pagecache.edge.fastly.enabled or "
					+ "pagecache.edge.cloudflare.enabled, or define an EdgePurger bean; until then a shared cache "
					+ "keeps an invalidated page until its s-maxage runs out");
		}
		return new EdgePurges(all, store, queue.getIfAvailable(InMemoryEdgePurgeQueue::new),
				new EdgePurges.Settings(edge.getRepurgeDelay(), edge.getRetryInterval(), edge.getMaxRetryInterval()));
	}

	@Bean
	@ConditionalOnMissingBean
	EdgeStatus pageCacheEdgeStatus(EdgePurges purges) {
		return () -> {
			EdgePurges.Status status = purges.status();
			return new EdgeStatus.Snapshot(status.queued(), status.lastFailure(), status.lastFailureAt());
		};
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
	 * The state of the edge purges, which the {@code pagecache} actuator endpoint shows:
	 * failed purges waiting to be retried, and the last failure. Defined whenever the
	 * edge tier is on ({@code pagecache.edge.enabled=true}).
	 */
	@FunctionalInterface
	public interface EdgeStatus {

		/**
		 * Read the state now. With a queue in Redis, the failed purges of every instance
		 * are counted; while Redis cannot be reached, only this instance's.
		 * @return the state
		 */
		Snapshot snapshot();

		/**
		 * The state of the edge purges at one moment.
		 *
		 * @param queued the failed purges waiting to be retried
		 * @param lastFailure the purger and message of this instance's last failed purge,
		 * or {@code null} if none since start-up
		 * @param lastFailureAt when it happened, or {@code null}
		 */
		record Snapshot(long queued, @Nullable String lastFailure, @Nullable Instant lastFailureAt) {

		}

	}

}
