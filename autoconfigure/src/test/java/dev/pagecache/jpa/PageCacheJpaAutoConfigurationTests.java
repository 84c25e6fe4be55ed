package dev.pagecache.jpa;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.Test;

import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration of the Hibernate integration, without a database.
 */
class PageCacheJpaAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PageCacheAutoConfiguration.class, PageCacheJpaAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory");

	@Test
	void integrationAndStatementInspectorAreConfigured() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(HibernatePageCacheIntegration.class);
			assertThat(context).hasSingleBean(HibernatePropertiesCustomizer.class);
		});
	}

	@Test
	void backsOffWhenPageCacheIsDisabled() {
		this.runner.withPropertyValues("pagecache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HibernatePageCacheIntegration.class)
				.doesNotHaveBean(HibernatePropertiesCustomizer.class));
	}

	@Test
	void backsOffWithoutHibernate() {
		this.runner.withClassLoader(new FilteredClassLoader(SessionFactoryImplementor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HibernatePageCacheIntegration.class));
	}

	@Test
	void backsOffWithoutThePageCache() {
		new WebApplicationContextRunner().withConfiguration(AutoConfigurations.of(PageCacheJpaAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HibernatePageCacheIntegration.class));
	}

	@Test
	void userDefinedIntegrationWins() {
		HibernatePageCacheIntegration own = new HibernatePageCacheIntegration(() -> null);
		this.runner.withBean(HibernatePageCacheIntegration.class, () -> own)
			.run((context) -> assertThat(context.getBean(HibernatePageCacheIntegration.class)).isSameAs(own));
	}

	@Test
	void applicationStatementInspectorStillRunsFirst() {
		this.runner.run((context) -> {
			List<String> seen = new CopyOnWriteArrayList<>();
			StatementInspector own = (sql) -> {
				seen.add(sql);
				return sql + " /* own */";
			};
			Map<String, Object> properties = new HashMap<>();
			properties.put(HibernatePageCacheIntegration.STATEMENT_INSPECTOR, own);
			context.getBean(HibernatePropertiesCustomizer.class).customize(properties);
			Object configured = properties.get(HibernatePageCacheIntegration.STATEMENT_INSPECTOR);
			assertThat(configured).isInstanceOf(BulkStatementInspector.class);
			assertThat(((StatementInspector) configured).inspect("select 1")).isEqualTo("select 1 /* own */");
			assertThat(seen).containsExactly("select 1");
		});
	}

	@Test
	void inspectorNamedByClassIsInstantiated() {
		StatementInspector inspector = HibernatePageCacheIntegration.statementInspector(UpperCase.class.getName());
		assertThat(inspector.inspect("select 1")).isEqualTo("SELECT 1");
		assertThat(HibernatePageCacheIntegration.statementInspector(inspector)).isSameAs(inspector);
	}

	public static class UpperCase implements StatementInspector {

		private static final long serialVersionUID = 1L;

		@Override
		public String inspect(String sql) {
			return sql.toUpperCase(java.util.Locale.ROOT);
		}

	}

}
