package dev.pagecache.jpa;

import java.util.Map;

import jakarta.persistence.EntityManagerFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import dev.pagecache.PageCache;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the page cache's Hibernate integration: pages depend on the
 * entities they load, and committed entity writes and bulk statements invalidate them.
 * Applies to every {@link EntityManagerFactory} of the application.
 *
 * @author pagecache
 * @see HibernatePageCacheIntegration
 */
@AutoConfiguration(after = { HibernateJpaAutoConfiguration.class, PageCacheAutoConfiguration.class })
@ConditionalOnClass({ SessionFactoryImplementor.class, EntityManagerFactory.class })
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@ConditionalOnBean(PageCache.class)
public final class PageCacheJpaAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	static HibernatePageCacheIntegration hibernatePageCacheIntegration(ObjectProvider<PageCache> pageCache) {
		return new HibernatePageCacheIntegration(pageCache::getIfAvailable);
	}

	/**
	 * Registers the listeners on each entity manager factory as soon as it exists, before
	 * anything can load or write through it.
	 */
	@Bean
	static BeanPostProcessor pageCacheEntityManagerFactoryPostProcessor(
			ObjectProvider<HibernatePageCacheIntegration> integration) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof EntityManagerFactory entityManagerFactory) {
					HibernatePageCacheIntegration registrar = integration.getIfAvailable();
					if (registrar != null) {
						registrar.register(entityManagerFactory);
					}
				}
				return bean;
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HibernatePropertiesCustomizer.class)
	static class StatementInspectorConfiguration {

		/**
		 * Puts the bulk statement inspector into Spring Boot's entity manager factory,
		 * after the application's own inspector. Runs after the other customizers so that
		 * it sees theirs.
		 */
		@Bean
		static HibernatePropertiesCustomizer pageCacheStatementInspectorCustomizer() {
			return new OrderedCustomizer();
		}

	}

	private static final class OrderedCustomizer implements HibernatePropertiesCustomizer, Ordered {

		@Override
		public void customize(Map<String, Object> properties) {
			properties.put(HibernatePageCacheIntegration.STATEMENT_INSPECTOR, HibernatePageCacheIntegration
				.statementInspector(properties.get(HibernatePageCacheIntegration.STATEMENT_INSPECTOR)));
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
