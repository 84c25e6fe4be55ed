package dev.pagecache.jpa.blog;

import dev.pagecache.store.PageStore;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small blog on JPA (H2) with {@code @CachePage} pages, whose page store records what
 * it is asked to do. Scans only its own package, for components and entities.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class BlogTestApplication {

	@Bean
	static BeanPostProcessor recordingPageStorePostProcessor() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof PageStore store && !(bean instanceof RecordingPageStore)) {
					return new RecordingPageStore(store);
				}
				return bean;
			}

		};
	}

}
