package dev.pagecache.dropin;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.pagecache.dropin.DropInApplications.OwnRedisApplication;
import dev.pagecache.dropin.DropInApplications.OwnerService;
import dev.pagecache.dropin.DropInApplications.PlainApplication;
import dev.pagecache.dropin.DropInApplications.SpringCacheApplication;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding the starter changes no decision of the application's own auto-configuration: the
 * Spring Cache provider, the Redis beans, the health contributors are the same with
 * pagecache enabled as with it disabled, and what the application would have without it.
 * pagecache's only additions are its own, and no Redis needs to run for the application
 * to work.
 */
@ExpectedLogs(value = "dev.pagecache.redis.PageCacheRedisAutoConfiguration",
		because = "applications start without a reachable Redis")
class ApplicationDecisionsTests {

	private static final String PAGECACHE_FACTORY = "pageCacheRedisConnectionFactory";

	/** The class path of an application with Caffeine alone behind Spring Cache. */
	private static final FilteredClassLoader WITHOUT_JCACHE = new FilteredClassLoader("javax.cache",
			"com.github.benmanes.caffeine.jcache");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues("spring.data.redis.port=" + closedPort(), "pagecache.redis.timeout=200ms");

	@Test
	void caffeineStaysTheCacheProviderAndCachesWithNoRedisRunning() {
		WebApplicationContextRunner caffeine = this.runner.withClassLoader(WITHOUT_JCACHE)
			.withUserConfiguration(SpringCacheApplication.class);
		Decisions withPagecache = decisions(caffeine);
		assertThat(withPagecache.cacheManager()).isEqualTo(CaffeineCacheManager.class.getName());
		assertThat(withPagecache.redisBeans()).isEmpty();
		assertThat(withPagecache.health()).doesNotContain("redis");
		assertThat(withPagecache).isEqualTo(decisions(caffeine.withPropertyValues("pagecache.enabled=false")));
		for (String store : new String[] { "redis", "memory" }) {
			caffeine.withPropertyValues("pagecache.store=" + store).run((context) -> {
				OwnerService owners = context.getBean(OwnerService.class);
				assertThat(owners.owner(6)).isEqualTo("owner 6");
				assertThat(owners.owner(6)).isEqualTo("owner 6");
				assertThat(owners.calls()).isEqualTo(1);
			});
		}
	}

	@Test
	void jcacheStaysTheCacheProvider() {
		WebApplicationContextRunner jcache = this.runner.withUserConfiguration(SpringCacheApplication.class)
			.withPropertyValues("spring.cache.cache-names=owners");
		Decisions withPagecache = decisions(jcache);
		assertThat(withPagecache.cacheManager()).isEqualTo(JCacheCacheManager.class.getName());
		assertThat(withPagecache.redisBeans()).isEmpty();
		assertThat(withPagecache.health()).doesNotContain("redis");
		assertThat(withPagecache).isEqualTo(decisions(jcache.withPropertyValues("pagecache.enabled=false")));
		jcache.run((context) -> {
			OwnerService owners = context.getBean(OwnerService.class);
			owners.owner(7);
			owners.owner(7);
			assertThat(owners.calls()).isEqualTo(1);
		});
	}

	@Test
	void anApplicationWithoutCacheOrRedisGetsNoneOfEither() {
		WebApplicationContextRunner plain = this.runner.withUserConfiguration(PlainApplication.class);
		Decisions withPagecache = decisions(plain);
		assertThat(withPagecache.cacheManager()).isEqualTo("none");
		assertThat(withPagecache.redisBeans()).isEmpty();
		assertThat(withPagecache.health()).doesNotContain("redis");
		assertThat(withPagecache).isEqualTo(decisions(plain.withPropertyValues("pagecache.enabled=false")));
	}

	@Test
	void theApplicationsOwnRedisBeansAreUntouchedAndTheStoreUsesItsOwnFactory() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			WebApplicationContextRunner ownRedis = this.runner.withClassLoader(WITHOUT_JCACHE)
				.withUserConfiguration(OwnRedisApplication.class)
				.withPropertyValues("spring.data.redis.host=" + redis.getHost(),
						"spring.data.redis.port=" + redis.getPort(), "pagecache.redis.timeout=2s");
			Decisions withPagecache = decisions(ownRedis);
			assertThat(withPagecache.redisBeans()).containsExactly("ownConnectionFactory", "ownTemplate");
			// its own factory makes Spring Cache choose Redis: the application's decision
			assertThat(withPagecache.cacheManager()).isEqualTo(RedisCacheManager.class.getName());
			assertThat(withPagecache).isEqualTo(decisions(ownRedis.withPropertyValues("pagecache.enabled=false")));
			ownRedis.run((context) -> {
				RedisConnectionFactory own = context.getBean("ownConnectionFactory", RedisConnectionFactory.class);
				assertThat(context.getBean(RedisConnectionFactory.class)).isSameAs(own);
				assertThat(context.getBean(StringRedisTemplate.class).getConnectionFactory()).isSameAs(own);
				assertThat(context.getBean(PAGECACHE_FACTORY)).isNotSameAs(own);
				// pagecache reached the server from spring.data.redis.* on its own
				// factory
				context.getBean(PageStore.class).invalidate(Set.of("Owner#1"));
				assertThat(redis.command("DBSIZE")).isNotEqualTo(":0");
				context.getBean(StringRedisTemplate.class).opsForValue().set("own", "value");
				assertThat(redis.command("GET", "own")).isEqualTo("value");
			});
		}
	}

	private static Decisions decisions(WebApplicationContextRunner runner) {
		Decisions[] decisions = new Decisions[1];
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			decisions[0] = decisions(context);
		});
		return decisions[0];
	}

	private static Decisions decisions(AssertableWebApplicationContext context) {
		String[] cacheManagers = context.getBeanNamesForType(CacheManager.class);
		String cacheManager = (cacheManagers.length == 0) ? "none"
				: context.getBean(CacheManager.class).getClass().getName();
		Set<String> redisBeans = new TreeSet<>();
		redisBeans.addAll(defaultCandidates(context, RedisConnectionFactory.class));
		redisBeans.addAll(defaultCandidates(context, RedisOperations.class));
		Set<String> health = context.getBean(HealthContributorRegistry.class)
			.stream()
			.map(HealthContributors.Entry::name)
			.filter((name) -> !name.equals("pageCache"))
			.collect(Collectors.toCollection(TreeSet::new));
		return new Decisions(cacheManager, redisBeans, health);
	}

	/**
	 * The beans of a type that an injection point without qualifier sees.
	 */
	private static List<String> defaultCandidates(AssertableWebApplicationContext context, Class<?> type) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		return Arrays.stream(context.getBeanNamesForType(type))
			.filter((name) -> !(beanFactory.getBeanDefinition(name) instanceof AbstractBeanDefinition definition)
					|| definition.isDefaultCandidate())
			.toList();
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What the application's auto-configuration decided.
	 *
	 * @param cacheManager the class of the Spring Cache manager, or {@code none}
	 * @param redisBeans the Redis connection factories and templates, pagecache's aside
	 * @param health the names of the health contributors, pagecache's aside
	 */
	record Decisions(String cacheManager, Set<String> redisBeans, Set<String> health) {

	}

}
