package dev.pagecache.test;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points the application context of a {@link WithRedisServer} test class at its server
 * ({@code spring.data.redis.host} and {@code spring.data.redis.port}, ahead of every
 * other property source). Registered in {@code META-INF/spring.factories}.
 *
 * @author pagecache
 */
public final class RedisServerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		WithRedisServer annotation = RedisServers.find(testClass);
		if (annotation == null) {
			return null;
		}
		return new RedisServerContextCustomizer(annotation.shared() ? null : testClass, testClass);
	}

	/**
	 * Equal for every class that shares the server, so that their contexts are cached as
	 * one; otherwise one per class, as each class has its own server.
	 */
	private static final class RedisServerContextCustomizer implements ContextCustomizer {

		private final Class<?> owner;

		private final Class<?> testClass;

		RedisServerContextCustomizer(Class<?> owner, Class<?> testClass) {
			this.owner = owner;
			this.testClass = testClass;
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			RedisServerProcess server = RedisServers.of(this.testClass);
			Map<String, Object> properties = Map.of("spring.data.redis.host", server.getHost(),
					"spring.data.redis.port", server.getPort());
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("redisServer", properties));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof RedisServerContextCustomizer that && Objects.equals(this.owner, that.owner);
		}

		@Override
		public int hashCode() {
			return Objects.hashCode(this.owner);
		}

	}

}
