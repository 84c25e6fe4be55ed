package dev.pagecache.test;

import java.util.List;
import java.util.Map;

import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points each application context of a {@link WithPostgresServer} test class at a new
 * database of the shared server. Registered in {@code META-INF/spring.factories}.
 *
 * @author pagecache
 */
public final class PostgresServerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (AnnotationSupport.findAnnotation(testClass, WithPostgresServer.class).isEmpty()) {
			return null;
		}
		return new PostgresServerContextCustomizer();
	}

	/**
	 * Equal to every other, as every class uses the same server: contexts that differ in
	 * nothing else are cached as one, and share their database.
	 */
	private static final class PostgresServerContextCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			PostgresServerProcess server = PostgresServers.shared();
			Map<String, Object> connection = Map.of("spring.datasource.url", server.jdbcUrl(server.createDatabase()),
					"spring.datasource.username", PostgresServerProcess.USER, "spring.datasource.password", "");
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("postgresServer", connection));
			// below the test's own properties; not create-drop, whose drop at close would
			// wait for a server that the shutdown hook may have stopped already
			Map<String, Object> schema = Map.of("spring.jpa.hibernate.ddl-auto", "create");
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("postgresServerSchema", schema));
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof PostgresServerContextCustomizer;
		}

		@Override
		public int hashCode() {
			return PostgresServerContextCustomizer.class.hashCode();
		}

	}

}
