package dev.pagecache.edge;

import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageCacheEdgeAutoConfiguration}.
 *
 * @author pagecache
 */
class PageCacheEdgeAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
				PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class,
				PageCacheEdgeAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory");

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(EdgePurges.class);
			assertThat(context.getBean(PageCache.class)).isNotInstanceOf(PurgingPageCache.class);
		});
	}

	@Test
	void varnishEndpointsMakeAVarnishPurgerAndInvalidationsPurgeTheEdge() {
		this.contextRunner
			.withPropertyValues("pagecache.edge.enabled=true",
					"pagecache.edge.varnish.endpoints=http://127.0.0.1:6081,http://127.0.0.2:6081/")
			.run((context) -> {
				assertThat(context).hasSingleBean(VarnishPurger.class).hasSingleBean(EdgePurges.class);
				assertThat(context.getBean(PageCache.class)).isInstanceOf(PurgingPageCache.class);
				assertThat(context.getBean(EdgePurges.class).status().queued()).isZero();
			});
	}

	@Test
	void edgeWithoutVarnishEndpointsHasNoVarnishPurger() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(VarnishPurger.class).hasSingleBean(EdgePurges.class));
	}

	@Test
	void applicationsOwnPurgerIsUsed() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true")
			.withUserConfiguration(OwnPurger.class)
			.run((context) -> {
				context.getBean(PageCache.class).invalidateTags("Post#1");
				assertThat(context.getBean(OwnPurger.class).purged).isTrue();
			});
	}

	@Test
	void invalidVarnishEndpointFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.varnish.endpoints=127.0.0.1:6081")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.varnish.endpoints"));
	}

	@Test
	void negativeRepurgeDelayFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.repurge-delay=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.repurge-delay"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPurger {

		volatile boolean purged;

		@Bean
		EdgePurger ownPurger() {
			return new EdgePurger() {

				@Override
				public boolean purgesByTag() {
					return true;
				}

				@Override
				public void purge(EdgePurger.Purge purge) {
					OwnPurger.this.purged = purge.tags().contains(EdgePurger.Purge.token("Post#1"));
				}

			};
		}

	}

}
