package dev.pagecache.redis;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Without Spring Boot's Redis module, the page store reads {@code spring.data.redis.*}
 * itself, with Boot's meaning.
 */
@WithRedisServer(shared = true)
class RedisPropertiesAddressTests {

	static RedisServerProcess redis;

	@Test
	void theStoreReachesTheServerThePropertiesNameWithoutBootsRedisModule() {
		new WebApplicationContextRunner().withClassLoader(new FilteredClassLoader(DataRedisConnectionDetails.class))
			.withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class,
					PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=redis://" + redis.getHost() + ":" + redis.getPort() + "/3",
					"pagecache.redis.timeout=2s", "pagecache.redis.connect-timeout=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean("redisConnectionFactory");
				LettuceConnectionFactory factory = context.getBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY,
						LettuceConnectionFactory.class);
				assertThat(factory.getDatabase()).isEqualTo(3);
				context.getBean(RedisPageStore.class).invalidate(Set.of("Post#1"));
				assertThat(redis.command("INFO", "keyspace")).contains("db3:keys=");
			});
	}

	@Test
	void hostPortCredentialsAndDatabase() {
		RedisStandaloneConfiguration standalone = (RedisStandaloneConfiguration) address("spring.data.redis.host=cache",
				"spring.data.redis.port=6380", "spring.data.redis.username=app", "spring.data.redis.password=secret",
				"spring.data.redis.database=2")
			.configuration();
		assertThat(standalone.getHostName()).isEqualTo("cache");
		assertThat(standalone.getPort()).isEqualTo(6380);
		assertThat(standalone.getUsername()).isEqualTo("app");
		assertThat(standalone.getPassword().get()).isEqualTo("secret".toCharArray());
		assertThat(standalone.getDatabase()).isEqualTo(2);
		assertThat(address().configuration()).isInstanceOfSatisfying(RedisStandaloneConfiguration.class,
				(defaults) -> assertThat(defaults.getHostName() + ":" + defaults.getPort())
					.isEqualTo("localhost:6379"));
	}

	@Test
	void aUrlWinsAndRedissMeansTls() {
		RedisServerAddress address = address("spring.data.redis.url=rediss://app:secret@cache.example:6390/4",
				"spring.data.redis.host=ignored");
		assertThat(address.ssl()).isTrue();
		RedisStandaloneConfiguration standalone = (RedisStandaloneConfiguration) address.configuration();
		assertThat(standalone.getHostName()).isEqualTo("cache.example");
		assertThat(standalone.getPort()).isEqualTo(6390);
		assertThat(standalone.getUsername()).isEqualTo("app");
		assertThat(standalone.getDatabase()).isEqualTo(4);
		assertThat(address("spring.data.redis.ssl.enabled=true").ssl()).isTrue();
		assertThat(address().ssl()).isFalse();
	}

	@Test
	void sentinel() {
		RedisServerAddress address = address("spring.data.redis.sentinel.master=mymaster",
				"spring.data.redis.sentinel.nodes=s1:26379,s2:26380", "spring.data.redis.sentinel.password=sp",
				"spring.data.redis.password=secret");
		RedisSentinelConfiguration sentinel = (RedisSentinelConfiguration) address.configuration();
		assertThat(sentinel.getMaster().getName()).isEqualTo("mymaster");
		assertThat(sentinel.getSentinels()).extracting((node) -> node.getHost() + ":" + node.getPort())
			.containsExactlyInAnyOrder("s1:26379", "s2:26380");
		assertThat(sentinel.getSentinelPassword().get()).isEqualTo("sp".toCharArray());
		assertThat(sentinel.getPassword().get()).isEqualTo("secret".toCharArray());
	}

	@Test
	void cluster() {
		RedisServerAddress address = address("spring.data.redis.cluster.nodes=c1:7000,c2:7001",
				"spring.data.redis.cluster.max-redirects=3", "spring.data.redis.username=app",
				"spring.data.redis.password=secret", "spring.data.redis.ssl.enabled=true");
		RedisClusterConfiguration cluster = (RedisClusterConfiguration) address.configuration();
		assertThat(cluster.getClusterNodes()).extracting((node) -> node.getHost() + ":" + node.getPort())
			.containsExactlyInAnyOrder("c1:7000", "c2:7001");
		assertThat(cluster.getMaxRedirects()).isEqualTo(3);
		assertThat(cluster.getUsername()).isEqualTo("app");
		assertThat(cluster.getPassword().get()).isEqualTo("secret".toCharArray());
		assertThat(address.ssl()).isTrue();
		assertThat(address("spring.data.redis.cluster.nodes=c1:7000", "spring.data.redis.sentinel.master=m",
				"spring.data.redis.sentinel.nodes=s1:26379")
			.configuration()).as("Sentinel wins, as in Spring Boot").isInstanceOf(RedisSentinelConfiguration.class);
	}

	@Test
	void unsupportedOrInvalidSettingsFailNamingTheProperty() {
		assertThatIllegalStateException().isThrownBy(() -> address("spring.data.redis.masterreplica.nodes=a:1,b:2"))
			.withMessageContaining("spring.data.redis.masterreplica.nodes")
			.withMessageContaining(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY);
		assertThatIllegalStateException().isThrownBy(() -> address("spring.data.redis.cluster.nodes=a:1,b"))
			.withMessageContaining("spring.data.redis.cluster.nodes");
		assertThatIllegalStateException().isThrownBy(() -> address("spring.data.redis.url=http://cache:6379"))
			.withMessageContaining("spring.data.redis.url");
		assertThatIllegalStateException().isThrownBy(() -> address("spring.data.redis.sentinel.nodes=s1:26379"))
			.withMessageContaining("spring.data.redis.sentinel.master");
		assertThatIllegalStateException()
			.isThrownBy(() -> address("spring.data.redis.sentinel.master=m", "spring.data.redis.sentinel.nodes=s1"))
			.withMessageContaining("spring.data.redis.sentinel.nodes");
	}

	@Test
	void sslBundleIsTakenFromTheApplicationsBundlesAndTurnsTlsOn() {
		SslBundle bundle = SslBundle.of(null);
		DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("redis", bundle);
		RedisServerAddress address = RedisPropertiesAddress.of(environment("spring.data.redis.ssl.bundle=redis"),
				bundles);
		assertThat(address.ssl()).isTrue();
		assertThat(address.sslBundle()).isSameAs(bundle);
		assertThat(RedisPropertiesAddress.of(environment(), bundles).sslBundle()).isNull();
		RedisServerAddress disabled = RedisPropertiesAddress
			.of(environment("spring.data.redis.ssl.bundle=redis", "spring.data.redis.ssl.enabled=false"), bundles);
		assertThat(disabled.ssl()).isFalse();
		assertThat(disabled.sslBundle()).isNull();
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisPropertiesAddress.of(environment("spring.data.redis.ssl.bundle=redis"), null))
			.withMessageContaining("spring.data.redis.ssl.bundle");
	}

	@Test
	void blankSslBundleNamesNoBundle() {
		assertThat(RedisPropertiesAddress.of(environment("spring.data.redis.ssl.bundle="), null).sslBundle()).isNull();
	}

	@Test
	@ExpectedLogs(value = "dev.pagecache.redis", because = "the store's Redis is not reachable")
	void redissUrlMeansTlsWithBootsConnectionDetailsToo() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
					PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.url=rediss://127.0.0.1:1", "pagecache.redis.connect-timeout=1s")
			.run((context) -> assertThat(context.getBean("pageCacheRedisServerAddress", RedisServerAddress.class).ssl())
				.isTrue());
	}

	private static RedisServerAddress address(String... properties) {
		return RedisPropertiesAddress.of(environment(properties));
	}

	private static MockEnvironment environment(String... properties) {
		MockEnvironment environment = new MockEnvironment();
		for (String property : properties) {
			String[] nameAndValue = property.split("=", 2);
			environment.setProperty(nameAndValue[0], nameAndValue[1]);
		}
		return environment;
	}

}
