package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the Redis page store, the default whenever Spring Data Redis and
 * Lettuce are on the class path.
 * <p>
 * The store uses a Lettuce connection factory of its own, built from the application's
 * {@link DataRedisConnectionDetails} (same server and credentials) with client settings
 * that keep a slow or absent Redis from slowing requests down: commands rejected while
 * disconnected, a short command timeout, a short connect timeout, TCP keep-alive. Define
 * a bean named {@value #CONNECTION_FACTORY} (declared with
 * {@code @Bean(defaultCandidate = false)}) to supply another one.
 *
 * @author pagecache
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class, ClientOptions.class,
		DataRedisConnectionDetails.class })
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "pagecache.store", havingValue = "redis", matchIfMissing = true)
@ConditionalOnMissingBean(PageStore.class)
@EnableConfigurationProperties(PageCacheProperties.class)
public final class PageCacheRedisAutoConfiguration {

	/**
	 * The name of the connection factory bean of the Redis page store.
	 */
	public static final String CONNECTION_FACTORY = "pageCacheRedisConnectionFactory";

	private static final Log logger = LogFactory.getLog(PageCacheRedisAutoConfiguration.class);

	/**
	 * Client resources of the page store's own connection: they reconnect within a
	 * bounded delay, so that caching resumes soon after Redis comes back.
	 */
	@Bean(destroyMethod = "shutdown", defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	DefaultClientResources pageCacheRedisClientResources(PageCacheProperties properties) {
		Duration maxDelay = properties.getRedis().getMaxReconnectDelay();
		return DefaultClientResources.builder()
			.ioThreadPoolSize(2)
			.computationThreadPoolSize(2)
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), maxDelay, 2, TimeUnit.MILLISECONDS))
			.build();
	}

	@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	LettuceConnectionFactory pageCacheRedisConnectionFactory(ObjectProvider<DataRedisConnectionDetails> details,
			@Qualifier("pageCacheRedisClientResources") ClientResources clientResources,
			PageCacheProperties properties) {
		DataRedisConnectionDetails connectionDetails = details.getIfAvailable();
		if (connectionDetails == null) {
			throw new IllegalStateException("pagecache.store=redis needs a Redis connection: configure "
					+ "spring.data.redis.* (or keep DataRedisAutoConfiguration), define a bean named "
					+ CONNECTION_FACTORY + ", or set pagecache.store=memory");
		}
		PageCacheProperties.Redis redis = properties.getRedis();
		ClientOptions clientOptions = ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true)
			.timeoutOptions(TimeoutOptions.enabled(redis.getTimeout()))
			.socketOptions(SocketOptions.builder().connectTimeout(redis.getConnectTimeout()).keepAlive(true).build())
			.build();
		// Commands time out through TimeoutOptions; Spring Data passes its "command
		// timeout"
		// on as the timeout of the connection handshake (which a cold JVM may need more
		// time for) and bounds every command by it too, so it is the longer of the two.
		Duration springDataTimeout = (redis.getTimeout().compareTo(redis.getConnectTimeout()) > 0) ? redis.getTimeout()
				: redis.getConnectTimeout();
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.commandTimeout(springDataTimeout)
			.clientOptions(clientOptions)
			.clientResources(clientResources)
			.clientName("pagecache");
		if (connectionDetails.getSslBundle() != null) {
			client.useSsl();
		}
		LettuceConnectionFactory factory = (connectionDetails.getSentinel() != null)
				? new LettuceConnectionFactory(sentinel(connectionDetails), client.build())
				: new LettuceConnectionFactory(standalone(connectionDetails), client.build());
		factory.setValidateConnection(false);
		return factory;
	}

	/**
	 * Open the store's connection once at start-up, so that the first requests do not pay
	 * for it, and warn about an eviction policy that may drop indexes before the pages
	 * they guard. A Redis that cannot be reached does not stop the application from
	 * starting.
	 */
	@Bean
	static SmartInitializingSingleton pageCacheRedisConnectionWarmUp(
			@Qualifier(CONNECTION_FACTORY) ObjectProvider<RedisConnectionFactory> connectionFactory) {
		return () -> {
			try (RedisConnection connection = connectionFactory.getObject().getConnection()) {
				connection.ping();
			}
			catch (RuntimeException ex) {
				logger.warn("Redis page store not reachable at start-up; pages are served uncached until it is: "
						+ ex.getMessage());
			}
		};
	}

	@Bean
	RedisPageStore pageStore(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			PageCacheProperties properties, ObjectProvider<StatisticsListener> statisticsListener,
			ObjectProvider<RedisNearCache> nearCache) {
		PageCacheProperties.Redis redis = properties.getRedis();
		RedisPageStore store = new RedisPageStore(connectionFactory, redis.getNamespace(),
				properties.getMaxRenderTime(), Clock.systemUTC());
		store.setCircuitBreaker(redis.getCircuitBreakerFailures(), redis.getCircuitBreakerOpenDuration());
		store.setMaxPagesPerRoute(redis.getMaxPagesPerRoute());
		nearCache.ifAvailable(store::setNearCache);
		statisticsListener.ifAvailable((listener) -> {
			store.setStatisticsListener(listener);
			store.setMissReasonRetention(properties.getStatistics().getMissReasonRetention());
		});
		return store;
	}

	@Bean
	@ConditionalOnBooleanProperty("pagecache.redis.near-cache.enabled")
	RedisNearCache pageCacheRedisNearCache(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			PageCacheProperties properties) {
		PageCacheProperties.NearCache near = properties.getRedis().getNearCache();
		return new RedisNearCache(connectionFactory, properties.getRedis().getNamespace(), near.getMaxSize().toBytes(),
				near.getMaxAge(), near.getHeartbeatInterval(), near.getRegistrationTtl());
	}

	private static RedisStandaloneConfiguration standalone(DataRedisConnectionDetails details) {
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		if (standalone == null) {
			throw new IllegalStateException("The Redis page store supports a standalone Redis server or Sentinel; "
					+ "for Redis Cluster, define a bean named " + CONNECTION_FACTORY);
		}
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(standalone.getHost(),
				standalone.getPort());
		configuration.setDatabase(standalone.getDatabase());
		configuration.setUsername(details.getUsername());
		configuration.setPassword(RedisPassword.of(details.getPassword()));
		return configuration;
	}

	private static RedisSentinelConfiguration sentinel(DataRedisConnectionDetails details) {
		DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		RedisSentinelConfiguration configuration = new RedisSentinelConfiguration();
		configuration.master(sentinel.getMaster());
		for (DataRedisConnectionDetails.Node node : sentinel.getNodes()) {
			configuration.addSentinel(new RedisNode(node.host(), node.port()));
		}
		configuration.setDatabase(sentinel.getDatabase());
		configuration.setUsername(details.getUsername());
		configuration.setPassword(RedisPassword.of(details.getPassword()));
		configuration.setSentinelUsername(sentinel.getUsername());
		configuration.setSentinelPassword(RedisPassword.of(sentinel.getPassword()));
		return configuration;
	}

}
