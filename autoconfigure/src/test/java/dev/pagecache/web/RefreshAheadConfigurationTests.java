package dev.pagecache.web;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RefreshAheadConfiguration}: the demand sampler counts the filter's
 * pages into the store's hot list with the {@code pagecache.refresh-ahead} settings, is
 * absent when refresh-ahead is off, and invalid settings fail start-up.
 *
 * @author pagecache
 */
@ExpectedLogs(failedStartups = true, because = "invalid refresh-ahead settings fail start-up")
class RefreshAheadConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class, PageCacheAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory");

	@Test
	void filterCountsIntoTheStoresHotListWithTheConfiguredBound() {
		this.contextRunner.withPropertyValues("pagecache.refresh-ahead.max-hot-pages=2").run((context) -> {
			DemandSampler sampler = context.getBean(DemandSampler.class);
			assertThat(sampler.isRunning()).isTrue();
			assertThat(ReflectionTestUtils.getField(context.getBean(PageCacheFilter.class), "demand"))
				.isSameAs(sampler);
			for (String key : new String[] { "/a", "/a", "/a", "/b", "/b", "/c" }) {
				sampler.record(key);
			}
			sampler.flush();
			assertThat(context.getBean(PageStore.class).hottest(10, 0.5)).extracting(PageStore.HotPage::key)
				.containsExactly("/a", "/b");
			assertThat(context.getBean(Refresher.class).isRunning()).isTrue();
			assertThat(ReflectionTestUtils.getField(context.getBean(PageCacheFilter.class), "refreshMarker"))
				.isSameAs(context.getBean(Refresher.class).marker());
		});
	}

	@Test
	void refreshAheadOffCountsNothing() {
		this.contextRunner.withPropertyValues("pagecache.refresh-ahead.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(DemandSampler.class).doesNotHaveBean(Refresher.class);
			assertThat(ReflectionTestUtils.getField(context.getBean(PageCacheFilter.class), "demand"))
				.isSameAs(DemandSampler.OFF);
		});
	}

	@Test
	void invalidSettingsFailWithThePropertyName() {
		assertInvalid("pagecache.refresh-ahead.min-requests=0", "pagecache.refresh-ahead.min-requests");
		assertInvalid("pagecache.refresh-ahead.max-share=0", "pagecache.refresh-ahead.max-share");
		assertInvalid("pagecache.refresh-ahead.max-cpu-load=1.5", "pagecache.refresh-ahead.max-cpu-load");
		assertInvalid("pagecache.refresh-ahead.reserve=40", "pagecache.refresh-ahead.reserve");
		assertInvalid("pagecache.refresh-ahead.reservation-timeout=0ms", "pagecache.refresh-ahead.reservation-timeout");
		assertInvalid("pagecache.refresh-ahead.max-queue=0", "pagecache.refresh-ahead.max-queue");
		assertInvalid("pagecache.refresh-ahead.half-life=500ms", "pagecache.refresh-ahead.half-life");
		assertInvalid("pagecache.refresh-ahead.flush-interval=10ms", "pagecache.refresh-ahead.flush-interval");
		assertInvalid("pagecache.refresh-ahead.max-hot-pages=0", "pagecache.refresh-ahead.max-hot-pages");
		assertInvalid("pagecache.refresh-ahead.demand-buffer=8", "pagecache.refresh-ahead.demand-buffer");
		assertInvalid("pagecache.refresh-ahead.max-per-invalidation=-1",
				"pagecache.refresh-ahead.max-per-invalidation");
	}

	private void assertInvalid(String property, String name) {
		this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(name);
		});
	}

}
