package dev.pagecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsPageStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the Redis page store, the default whenever Spring Data Redis and
 * Lettuce are on the class path.
 * <p>
 * The store uses a Lettuce connection factory of its own, built from the application's
 * {@link DataRedisConnectionDetails} where the application has Spring Boot's Redis
 * module, and from the {@code spring.data.redis.*} properties otherwise (same server and
 * credentials). pagecache brings Spring Data Redis and Lettuce but not Boot's module, so
 * that it adds no Redis bean, cache manager or health contributor of Boot's to the
 * application. Its client settings that keep a slow or absent Redis from slowing requests
 * down: commands rejected while disconnected, a short command timeout, a short connect
 * timeout, TCP keep-alive. Define a bean named {@value #CONNECTION_FACTORY} (declared
 * with {@code @Bean(defaultCandidate = false)}) to supply another one.
 *
 * @author pagecache
 */
// by name: Boot's Redis module is the application's choice, not on every class path
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class, ClientOptions.class })
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "pagecache.store", havingValue = "redis", matchIfMissing = true)
@ConditionalOnMissingBean(PageStore.class)
@EnableConfigurationProperties(PageCacheProperties.class)
public final class PageCacheRedisAutoConfiguration {

	/**
	 * The name of the connection factory bean of the Redis page store.
	 */
	public static final String CONNECTION_FACTORY = "pageCacheRedisConnectionFactory";

	private static final String SERVER_ADDRESS = "pageCacheRedisServerAddress";

	private static final Log logger = LogFactory.getLog(PageCacheRedisAutoConfiguration.class);

	/**
	 * Client resources of the page store's own connection: they reconnect within a
	 * bounded delay, so that caching resumes soon after Redis comes back.
	 */
	@Bean(destroyMethod = "shutdown", defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	DefaultClientResources pageCacheRedisClientResources(PageCacheProperties properties) {
		Duration maxDelay = properties.getRedis().getMaxReconnectDelay();
		DefaultClientResources.Builder builder = DefaultClientResources.builder();
		builder.threadFactoryProvider(PageCacheRedisAutoConfiguration::lettuceThreads);
		return builder.ioThreadPoolSize(2)
			.computationThreadPoolSize(2)
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), maxDelay, 2, TimeUnit.MILLISECONDS))
			.build();
	}

	/**
	 * Lettuce's threads, with this library's class loader as their context class loader
	 * rather than that of the thread that first needs one: a request thread's is the web
	 * application's, whose shutdown would report them as leaked.
	 */
	private static ThreadFactory lettuceThreads(String poolName) {
		ThreadFactory threads = new DefaultThreadFactory(poolName, true);
		ClassLoader classLoader = PageCacheRedisAutoConfiguration.class.getClassLoader();
		return (task) -> {
			Thread thread = threads.newThread(task);
			thread.setContextClassLoader(classLoader);
			return thread;
		};
	}

	/**
	 * The Redis server of the store, from {@code spring.data.redis.*} where no
	 * {@link DataRedisConnectionDetails} is at hand.
	 */
	@Bean(name = SERVER_ADDRESS, defaultCandidate = false)
	@ConditionalOnMissingBean(name = { CONNECTION_FACTORY, SERVER_ADDRESS })
	RedisServerAddress pageCacheRedisServerAddress(Environment environment, ObjectProvider<SslBundles> sslBundles) {
		return RedisPropertiesAddress.of(environment, sslBundles.getIfAvailable());
	}

	@Bean(name = CONNECTION_FACTORY, defaultCandidate = false)
	@ConditionalOnMissingBean(name = CONNECTION_FACTORY)
	LettuceConnectionFactory pageCacheRedisConnectionFactory(@Qualifier(SERVER_ADDRESS) RedisServerAddress address,
			@Qualifier("pageCacheRedisClientResources") ClientResources clientResources,
			PageCacheProperties properties) {
		PageCacheProperties.Redis redis = properties.getRedis();
		ClientOptions.Builder options = (address.configuration() instanceof RedisClusterConfiguration)
				? clusterOptions() : ClientOptions.builder();
		options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.autoReconnect(true)
			.timeoutOptions(TimeoutOptions.enabled(redis.getTimeout()))
			.socketOptions(SocketOptions.builder().connectTimeout(redis.getConnectTimeout()).keepAlive(true).build());
		if (address.sslBundle() != null) {
			options.sslOptions(sslOptions(address.sslBundle()));
		}
		// Commands time out through TimeoutOptions; Spring Data passes its "command
		// timeout"
		// on as the timeout of the connection handshake (which a cold JVM may need more
		// time
		// for) and bounds every command by it too, so it is the longer of the two.
		Duration springDataTimeout = (redis.getTimeout().compareTo(redis.getConnectTimeout()) > 0) ? redis.getTimeout()
				: redis.getConnectTimeout();
		LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
			.commandTimeout(springDataTimeout)
			.clientOptions(options.build())
			.clientResources(clientResources)
			.clientName("pagecache");
		if (address.ssl()) {
			client.useSsl();
		}
		LettuceConnectionFactory factory = new LettuceConnectionFactory(address.configuration(), client.build());
		factory.setValidateConnection(false);
		return factory;
	}

	/**
	 * TLS with the key and trust material and the options of an SSL bundle, as Spring
	 * Boot applies {@code spring.data.redis.ssl.bundle} to its own Redis connection.
	 */
	private static SslOptions sslOptions(SslBundle bundle) {
		SslOptions.Builder ssl = SslOptions.builder()
			.keyManager(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory());
		if (bundle.getOptions().getCiphers() != null) {
			ssl.cipherSuites(bundle.getOptions().getCiphers());
		}
		if (bundle.getOptions().getEnabledProtocols() != null) {
			ssl.protocols(bundle.getOptions().getEnabledProtocols());
		}
		return ssl.build();
	}

	/**
	 * On Redis Cluster, the client follows the cluster's topology: on Lettuce's adaptive
	 * triggers (a redirection, reconnection attempts, an unknown node or slot: a failover
	 * or a slot migration), at most every 500 ms rather than Lettuce's 5 s, and every 30
	 * s, so that a replica taking over or slots moving cost a few commands at most.
	 */
	private static ClusterClientOptions.Builder clusterOptions() {
		return ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
				.enablePeriodicRefresh(Duration.ofSeconds(30))
				.dynamicRefreshSources(true)
				.build());
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

	/**
	 * The store: one {@link RedisPageStore}, or one per {@linkplain RedisShards shard} of
	 * the namespace ({@code pagecache.redis.shards}, 16 by default on Redis Cluster) with
	 * a {@link ShardedRedisPageStore} in front.
	 */
	@Bean
	PageStore pageStore(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			PageCacheProperties properties, ObjectProvider<StatisticsListener> statisticsListener,
			ObjectProvider<RedisNearCaches> nearCaches) {
		PageCacheProperties.Redis redis = properties.getRedis();
		List<String> namespaces = namespaces(redis, connectionFactory);
		List<RedisPageStore> shards = new ArrayList<>(namespaces.size());
		for (int i = 0; i < namespaces.size(); i++) {
			RedisPageStore shard = new RedisPageStore(connectionFactory, namespaces.get(i),
					properties.getMaxRenderTime(), Clock.systemUTC());
			shard.setCircuitBreaker(redis.getCircuitBreakerFailures(), redis.getCircuitBreakerOpenDuration());
			shard.setMaxPagesPerRoute((redis.getMaxPagesPerRoute() + namespaces.size() - 1) / namespaces.size());
			int index = i;
			nearCaches.ifAvailable((near) -> shard.setNearCache(near.get(index)));
			shards.add(shard);
		}
		return (shards.size() == 1) ? withStatistics(shards.get(0), properties, statisticsListener)
				: withStatistics(new ShardedRedisPageStore(shards), properties, statisticsListener);
	}

	/**
	 * The record of how this instance splits the namespace into shards, which stops an
	 * instance from starting while others split it differently.
	 */
	@Bean
	RedisShardLayout pageCacheRedisShardLayout(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			PageCacheProperties properties) {
		PageCacheProperties.Redis redis = properties.getRedis();
		return new RedisShardLayout(connectionFactory, redis.getNamespace(),
				RedisShards.count(redis.getShards(), connectionFactory));
	}

	private static <S extends StatisticsPageStore> S withStatistics(S store, PageCacheProperties properties,
			ObjectProvider<StatisticsListener> statisticsListener) {
		statisticsListener.ifAvailable((listener) -> {
			store.setStatisticsListener(listener);
			store.setMissReasonRetention(properties.getStatistics().getMissReasonRetention());
		});
		return store;
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "pagecache.redis.near-cache.enabled", matchIfMissing = true)
	RedisNearCaches pageCacheRedisNearCaches(@Qualifier(CONNECTION_FACTORY) RedisConnectionFactory connectionFactory,
			PageCacheProperties properties) {
		PageCacheProperties.NearCache near = properties.getRedis().getNearCache();
		return new RedisNearCaches(connectionFactory, namespaces(properties.getRedis(), connectionFactory),
				near.getMaxSize().toBytes(), near.getMaxAge(), near.getHeartbeatInterval(), near.getRegistrationTtl());
	}

	private static List<String> namespaces(PageCacheProperties.Redis redis, RedisConnectionFactory connectionFactory) {
		return RedisShards.namespaces(redis.getNamespace(), RedisShards.count(redis.getShards(), connectionFactory));
	}

	/**
	 * The store's Redis server from Spring Boot's connection details (its
	 * {@code spring.data.redis.*} properties, a {@code @ServiceConnection}, or the
	 * application's own bean), where the application has Boot's Redis module.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DataRedisConnectionDetails.class)
	static final class ConnectionDetailsConfiguration {

		@Bean(name = SERVER_ADDRESS, defaultCandidate = false)
		@ConditionalOnMissingBean(name = { CONNECTION_FACTORY, SERVER_ADDRESS })
		@ConditionalOnBean(DataRedisConnectionDetails.class)
		RedisServerAddress pageCacheRedisServerAddress(DataRedisConnectionDetails details, Environment environment) {
			return ConnectionDetailsAddress.of(details, environment);
		}

	}

}
