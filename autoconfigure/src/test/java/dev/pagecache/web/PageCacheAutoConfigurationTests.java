package dev.pagecache.web;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

@ExpectedLogs(value = "dev.pagecache.redis.PageCacheRedisAutoConfiguration", failedStartups = true,
		because = "contexts start without a reachable Redis or fail on invalid settings")
class PageCacheAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
				PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class));

	@Test
	void memoryStoreWhenAsked() {
		this.contextRunner.withPropertyValues("pagecache.store=memory")
			.run((context) -> assertThat(context.getBean(PageStore.class)).isInstanceOf(InMemoryPageStore.class));
	}

	@Test
	void memoryStoreWhenSpringDataRedisIsAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertThat(context.getBean(PageStore.class)).isInstanceOf(InMemoryPageStore.class));
	}

	@Test
	void redisStoreWithoutSpringDataRedisFailsWithAMessageNamingTheProperty() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.withPropertyValues("pagecache.store=redis")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("pagecache.store"));
	}

	@Test
	void backsOffWhenTheUserDefinesTheBeans() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(PageStore.class)).isSameAs(context.getBean(UserBeans.class).store);
			assertThat(context.getBean(PageCache.class)).isSameAs(context.getBean(UserBeans.class).pageCache);
			assertThat(context).doesNotHaveBean(PageCacheRedisAutoConfiguration.CONNECTION_FACTORY);
		});
	}

	@Test
	void disabledMeansNoBeans() {
		this.contextRunner.withPropertyValues("pagecache.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PageStore.class);
			assertThat(context).doesNotHaveBean(PageCacheFilter.class);
			assertThat(context).doesNotHaveBean(PageCache.class);
		});
	}

	@Test
	void filterRunsJustAfterSpringSecurityByDefault() {
		this.contextRunner.run((context) -> assertThat(pageCacheRegistration(context).getOrder())
			.isEqualTo(PageCacheAutoConfiguration.DEFAULT_SECURITY_FILTER_ORDER + 1));
	}

	@Test
	void filterFollowsTheSecurityFilterOrder() {
		this.contextRunner.withPropertyValues("spring.security.filter.order=10")
			.run((context) -> assertThat(pageCacheRegistration(context).getOrder()).isEqualTo(11));
	}

	@Test
	void filterOrderedBeforeSecurityFailsStartup() {
		this.contextRunner.withPropertyValues("pagecache.filter.order=-200")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.filter.order")
				.hasMessageContaining("before-security"));
	}

	@Test
	void interceptorParamThatIsNotAParameterNameFailsStartup() {
		this.contextRunner.withPropertyValues("pagecache.interceptor-params=lang,theme=dark")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.interceptor-params"));
	}

	@Test
	void filterOrderedBeforeSecurityIsAcceptedWhenTheApplicationOptsIn() {
		this.contextRunner.withPropertyValues("pagecache.filter.order=-200", "pagecache.filter.before-security=true")
			.run((context) -> assertThat(pageCacheRegistration(context).getOrder()).isEqualTo(-200));
		this.contextRunner
			.withPropertyValues("pagecache.filter.order=-200", "pagecache.filter.placement=before-security")
			.run((context) -> assertThat(pageCacheRegistration(context).getOrder()).isEqualTo(-200));
	}

	@Test
	void autoPlacementRegistersTheFilterOnBothSidesOfSecurity() {
		this.contextRunner.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
			.extracting(Ordered::getOrder)
			.containsExactlyInAnyOrder(PageCacheAutoConfiguration.DEFAULT_SECURITY_FILTER_ORDER - 1,
					PageCacheAutoConfiguration.DEFAULT_SECURITY_FILTER_ORDER + 1));
	}

	@Test
	void beforeSecurityPlacementIsOneFilterJustBeforeSecurity() {
		this.contextRunner.withPropertyValues("pagecache.filter.placement=before-security")
			.run((context) -> assertThat(context.getBeansOfType(FilterRegistrationBean.class).values())
				.extracting(Ordered::getOrder)
				.containsExactly(PageCacheAutoConfiguration.DEFAULT_SECURITY_FILTER_ORDER - 1));
	}

	@Test
	void withoutSpringSecurityOneFilterRunsAndNothingOfSecurityIsLoaded() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("pageCacheEarlyHits");
			assertThat(context.getBeansOfType(FilterRegistrationBean.class).values()).extracting(Ordered::getOrder)
				.containsExactly(PageCacheAutoConfiguration.DEFAULT_SECURITY_FILTER_ORDER + 1);
		});
	}

	@Test
	void beforeSecurityFlagThatContradictsThePlacementFailsStartup() {
		this.contextRunner
			.withPropertyValues("pagecache.filter.before-security=true", "pagecache.filter.placement=after-security")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("pagecache.filter.before-security"));
	}

	@Test
	void trustedFiltersThatAreNotClassNamesFailStartup() {
		assertInvalid("pagecache.filter.early.trusted-filters=com.example.Ok,not a class",
				"pagecache.filter.early.trusted-filters");
		this.contextRunner.withPropertyValues("pagecache.filter.early.trusted-filters=com.example.Ok")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void invalidDurationFailsWithThePropertyName() {
		assertInvalid("pagecache.default-ttl=-5s", "pagecache.default-ttl");
	}

	@Test
	void unparsableDurationFailsWithThePropertyName() {
		assertInvalid("pagecache.redis.timeout=soon", "pagecache.redis.timeout");
	}

	@Test
	void invalidStoreFailsWithThePropertyName() {
		assertInvalid("pagecache.store=disk", "pagecache.store");
	}

	@Test
	void invalidStatusFailsWithThePropertyName() {
		assertInvalid("pagecache.cacheable-statuses=500", "pagecache.cacheable-statuses");
	}

	@Test
	void invalidSizeFailsWithThePropertyName() {
		assertInvalid("pagecache.max-entry-size=0", "pagecache.max-entry-size");
	}

	@Test
	void pagesAreCompressedAtTheFastestLevelUnlessConfigured() {
		this.contextRunner.run((context) -> assertThat(context.getBean(PageCacheFilter.class))
			.hasFieldOrPropertyWithValue("renderer.compressionLevel", 1));
		this.contextRunner.withPropertyValues("pagecache.compression-level=9")
			.run((context) -> assertThat(context.getBean(PageCacheFilter.class))
				.hasFieldOrPropertyWithValue("renderer.compressionLevel", 9));
	}

	@Test
	void compressionLevelOutsideOneToNineFailsWithThePropertyName() {
		assertInvalid("pagecache.compression-level=0", "pagecache.compression-level");
		assertInvalid("pagecache.compression-level=10", "pagecache.compression-level");
	}

	private static FilterRegistrationBean<?> pageCacheRegistration(AssertableWebApplicationContext context) {
		return context.getBean("pageCacheFilterRegistration", FilterRegistrationBean.class);
	}

	private void assertInvalid(String property, String name) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(name);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final PageStore store = new InMemoryPageStore(10, 1 << 20, Duration.ofSeconds(30), Clock.systemUTC());

		final PageCache pageCache = new DefaultPageCache(this.store);

		@Bean
		PageStore userStore() {
			return this.store;
		}

		@Bean
		PageCache userPageCache() {
			return this.pageCache;
		}

	}

}
