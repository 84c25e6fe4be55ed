package dev.pagecache.security;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.web.PageCacheFilter;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Where the page cache filter sits in a real application with Spring Security: by default
 * ({@code pagecache.filter.placement=auto}) one registration just before Security's
 * filter chain and one just after it, following {@code spring.security.filter.order}; one
 * just after it with {@code after-security}; and start-up fails when it is configured to
 * run at or before Security without the application opting in. Fails when
 * {@code PageCacheAutoConfiguration.filterOrder} stops checking the order.
 */
@ExpectedLogs(failedStartups = true, because = "a filter order before Spring Security fails start-up")
class FilterOrderStartupTests {

	@Test
	void pageCacheSplitsAroundSpringSecurity() {
		try (ConfigurableApplicationContext context = run("spring.security.filter.order=5")) {
			assertThat(pageCacheOrder(context)).isEqualTo(6);
			assertThat(context.getBean("pageCacheBeforeSecurityRegistration", FilterRegistrationBean.class).getOrder())
				.isEqualTo(4);
		}
	}

	@Test
	void pageCacheFollowsSpringSecurityWhenPlacedAfterIt() {
		try (ConfigurableApplicationContext context = run("pagecache.filter.placement=after-security")) {
			assertThat(pageCacheOrder(context)).isEqualTo(-99);
			assertThat(context.containsBean("pageCacheBeforeSecurityRegistration")).isFalse();
		}
	}

	@Test
	void pageCacheOrderedBeforeSpringSecurityFailsStartUp() {
		assertThatException().isThrownBy(() -> run("pagecache.filter.order=-200").close())
			.havingRootCause()
			.withMessageContaining("pagecache.filter.order")
			.withMessageContaining("pagecache.filter.placement=before-security");
	}

	@Test
	void pageCacheOrderedAtTheSecurityOrderFailsStartUp() {
		assertThatException().isThrownBy(() -> run("pagecache.filter.order=-100").close())
			.havingRootCause()
			.withMessageContaining("pagecache.filter.order");
	}

	private static ConfigurableApplicationContext run(String property) {
		return new SpringApplicationBuilder(SecuredPageApplication.class)
			.properties("server.port=0", "pagecache.store=memory", "spring.main.banner-mode=off", property)
			.run();
	}

	private static int pageCacheOrder(ConfigurableApplicationContext context) {
		return context.getBeansOfType(FilterRegistrationBean.class)
			.values()
			.stream()
			.filter((registration) -> registration.getFilter() instanceof PageCacheFilter)
			.findFirst()
			.orElseThrow()
			.getOrder();
	}

}
