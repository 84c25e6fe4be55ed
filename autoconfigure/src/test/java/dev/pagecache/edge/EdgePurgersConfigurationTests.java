package dev.pagecache.edge;

import org.junit.jupiter.api.Test;

import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nginx, Fastly and Cloudflare purgers of the edge's auto-configuration: a purger per
 * configured edge, none otherwise, and start-up failures that name the property to fix.
 */
@ExpectedLogs(value = "dev.pagecache.edge.PageCacheEdgeAutoConfiguration", failedStartups = true,
		because = "invalid edge properties fail start-up, and an edge without purgers is warned about")
class EdgePurgersConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
				PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class,
				PageCacheEdgeAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory", "pagecache.edge.enabled=true");

	private static final String[] FASTLY = { "pagecache.edge.fastly.enabled=true",
			"pagecache.edge.fastly.service-id=SU1Z0isxPaozGVKXdv0eY", "pagecache.edge.fastly.api-token=token",
			"pagecache.edge.fastly.site-url=https://www.example.com" };

	private static final String[] CLOUDFLARE = { "pagecache.edge.cloudflare.enabled=true",
			"pagecache.edge.cloudflare.zone-id=023e105f4ecef8ad9ca31a8372d0c353",
			"pagecache.edge.cloudflare.api-token=token", "pagecache.edge.cloudflare.site-url=https://www.example.com" };

	@Test
	void noPurgerWithoutConfiguration() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EdgePurger.class));
	}

	@Test
	void aPurgerForEachConfiguredEdge() {
		this.runner.withPropertyValues("pagecache.edge.nginx.endpoints=http://127.0.0.1:8000,http://10.0.0.2:8000")
			.withPropertyValues(FASTLY)
			.withPropertyValues(CLOUDFLARE)
			.run((context) -> assertThat(context.getBeansOfType(EdgePurger.class))
				.containsOnlyKeys("pageCacheNginxPurger", "pageCacheFastlyPurger", "pageCacheCloudflarePurger"));
	}

	@Test
	void nginxEndpointsMayBeAnIndexedList() {
		this.runner.withPropertyValues("pagecache.edge.nginx.endpoints[0]=http://127.0.0.1:8000")
			.run((context) -> assertThat(context).hasSingleBean(NginxPurger.class));
	}

	@Test
	void noPurgerWhenPageCacheIsOff() {
		this.runner
			.withPropertyValues("pagecache.enabled=false", "pagecache.edge.nginx.endpoints=http://127.0.0.1:8000")
			.withPropertyValues(FASTLY)
			.run((context) -> assertThat(context).doesNotHaveBean(EdgePurger.class));
	}

	@Test
	void noPurgerWhenTheEdgeTierIsOff() {
		this.runner
			.withPropertyValues("pagecache.edge.enabled=false", "pagecache.edge.nginx.endpoints=http://127.0.0.1:8000")
			.withPropertyValues(FASTLY)
			.withPropertyValues(CLOUDFLARE)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EdgePurger.class));
	}

	@Test
	void fastlyPurgesBySurrogateKeyOnlyWhenPagesCarrySurrogateKey() {
		this.runner.withPropertyValues(FASTLY)
			.run((context) -> assertThat(context.getBean(FastlyPurger.class).purgesByTag()).isFalse());
		this.runner.withPropertyValues(FASTLY)
			.withPropertyValues("pagecache.edge.tag-header=surrogate-key")
			.run((context) -> assertThat(context.getBean(FastlyPurger.class).purgesByTag()).isTrue());
	}

	@Test
	void cloudflarePurgesByTagOnlyWhenPagesCarryCacheTag() {
		this.runner.withPropertyValues(CLOUDFLARE)
			.run((context) -> assertThat(context.getBean(CloudflarePurger.class).purgesByTag()).isFalse());
		this.runner.withPropertyValues(CLOUDFLARE)
			.withPropertyValues("pagecache.edge.tag-header=cache-tag")
			.run((context) -> assertThat(context.getBean(CloudflarePurger.class).purgesByTag()).isTrue());
	}

	@Test
	void aPurgerOfTheSameNameReplacesTheBuiltInOne() {
		this.runner.withPropertyValues("pagecache.edge.nginx.endpoints=http://127.0.0.1:8000")
			.withUserConfiguration(OwnNginxPurger.class)
			.run((context) -> assertThat(context).doesNotHaveBean(NginxPurger.class).hasSingleBean(EdgePurger.class));
	}

	@Test
	void fastlyWithoutServiceIdFailsNamingTheProperty() {
		this.runner.withPropertyValues(FASTLY)
			.withPropertyValues("pagecache.edge.fastly.service-id=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.fastly.service-id")
				.hasMessageContaining("must be set when pagecache.edge.fastly.enabled is true"));
	}

	@Test
	void fastlyWithoutTokenOrSiteUrlFailsNamingTheProperty() {
		this.runner.withPropertyValues(FASTLY)
			.withPropertyValues("pagecache.edge.fastly.api-token=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.fastly.api-token"));
		this.runner.withPropertyValues(FASTLY)
			.withPropertyValues("pagecache.edge.fastly.site-url=https://www.example.com/blog")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.fastly.site-url")
				.hasMessageContaining("without a path"));
	}

	@Test
	void cloudflareWithoutZoneOrWithTooLargeBatchesFailsNamingTheProperty() {
		this.runner.withPropertyValues(CLOUDFLARE)
			.withPropertyValues("pagecache.edge.cloudflare.zone-id=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.cloudflare.zone-id"));
		this.runner.withPropertyValues(CLOUDFLARE)
			.withPropertyValues("pagecache.edge.cloudflare.max-items-per-request=500")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.cloudflare.max-items-per-request"));
		this.runner.withPropertyValues(CLOUDFLARE)
			.withPropertyValues("pagecache.edge.cloudflare.site-url=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.cloudflare.site-url"));
	}

	@Test
	void invalidNginxEndpointsFailNamingTheProperty() {
		this.runner.withPropertyValues("pagecache.edge.nginx.endpoints=127.0.0.1:8000")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.nginx.endpoints"));
		this.runner.withPropertyValues("pagecache.edge.nginx.endpoints=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.nginx.endpoints"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnNginxPurger {

		@Bean
		EdgePurger pageCacheNginxPurger() {
			return new EdgePurger() {

				@Override
				public boolean purgesByTag() {
					return false;
				}

				@Override
				public void purge(EdgePurger.Purge purge) {
				}

			};
		}

	}

}
