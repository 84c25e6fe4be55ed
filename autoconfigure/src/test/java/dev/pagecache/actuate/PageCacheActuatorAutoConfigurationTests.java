package dev.pagecache.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.pagecache.edge.PageCacheEdgeAutoConfiguration;
import dev.pagecache.metrics.FleetStatistics;
import dev.pagecache.metrics.PageCacheMeterBinder;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageCacheActuatorAutoConfiguration}.
 */
@ExpectedLogs(failedStartups = true, because = "an invalid dashboard history interval fails start-up")
class PageCacheActuatorAutoConfigurationTests {

	private static final SecurityContext ADMIN = Readers.signedIn("ADMIN");

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class, PageCacheAutoConfiguration.class,
				PageCacheActuatorAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory");

	@Test
	void statisticsAreCountedAndTheStoreRemembersWhyPagesWent() {
		this.runner.run((context) -> {
			PageCacheStatistics statistics = context.getBean(PageCacheStatistics.class);
			PageStore store = context.getBean(PageStore.class);
			store.invalidate(List.of("Post#1"));
			assertThat(statistics.snapshot().invalidationsByType()).containsEntry("Post", 1L);
			assertThat(context).hasSingleBean(FleetStatistics.class);
			assertThat(context.getBean(FleetStatistics.class).isShared()).isFalse();
		});
	}

	@Test
	void missReasonRetentionIsTakenFromItsProperty() {
		this.runner.withPropertyValues("pagecache.statistics.miss-reason-retention=0s").run((context) -> {
			InMemoryPageStore store = (InMemoryPageStore) context.getBean(PageStore.class);
			store.put("k", entry(), Duration.ofMinutes(1), store.lookup("k"));
			store.invalidate(List.of("T"));
			assertThat(store.lookup("k").missReason()).isEqualTo(MissReason.FIRST);
		});
		this.runner.run((context) -> {
			InMemoryPageStore store = (InMemoryPageStore) context.getBean(PageStore.class);
			store.put("k", entry(), Duration.ofMinutes(1), store.lookup("k"));
			store.invalidate(List.of("T"));
			assertThat(store.lookup("k").missReason()).isEqualTo(MissReason.INVALIDATED);
		});
	}

	@Test
	void endpointIsAvailableOnlyWhenExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(PageCacheEndpoint.class));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=pagecache")
			.run((context) -> assertThat(context).hasSingleBean(PageCacheEndpoint.class));
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=pagecache",
					"management.endpoint.pagecache.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(PageCacheEndpoint.class));
	}

	@Test
	void endpointServesTheDashboardWhenItsPropertySaysSo() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=pagecache",
					"pagecache.dashboard.enabled=true")
			.run((context) -> assertThat(
					context.getBean(PageCacheEndpoint.class).view(SecurityContext.NONE, "dashboard"))
				.contains("id=\"pagecache-dashboard\""));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=pagecache")
			.run((context) -> assertThat(
					context.getBean(PageCacheEndpoint.class).view(SecurityContext.NONE, "dashboard"))
				.isNull());
	}

	@Test
	void theDashboardSamplesItsHistoryAndShowsPurgeButtonsOnlyWhenTheEndpointAllowsWrites() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=pagecache",
					"pagecache.dashboard.enabled=true", "pagecache.dashboard.history-interval=2s",
					"management.endpoint.pagecache.access=UNRESTRICTED")
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(StatisticsHistory.class)
					.hasSingleBean(PageCacheEndpointWebExtension.class);
				assertThat(context.getBean(StatisticsHistory.class).interval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(context.getBean(StatisticsHistory.class).isRunning()).isTrue();
				assertThat(context.getBean(PageCacheEndpoint.class).view(ADMIN, "dashboard"))
					.contains("data-purge=\"true\"");
			});
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=pagecache",
					"pagecache.dashboard.enabled=true")
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(PageCacheEndpoint.class).view(ADMIN, "dashboard"))
				.as("read-only by default")
				.contains("data-purge=\"false\""));
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=pagecache")
			.run((context) -> assertThat(context).doesNotHaveBean(StatisticsHistory.class));
	}

	@Test
	void aHistoryIntervalOutsideItsRangeFailsStartUpNamingTheProperty() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=pagecache",
					"pagecache.dashboard.enabled=true", "pagecache.dashboard.history-interval=500ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.dashboard.history-interval")
				.hasMessageContaining("must be from 1s to 5m"));
	}

	@Test
	void healthIndicatorReportsTheStore() {
		this.runner.run((context) -> {
			HealthIndicator indicator = context.getBean("pageCacheHealthIndicator", HealthIndicator.class);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry("store", "memory");
		});
		this.runner.withPropertyValues("management.health.pagecache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PageStoreHealthIndicator.class));
	}

	@Test
	@ExpectedLogs(value = "dev.pagecache.edge", because = "the edge tier is on without an edge to purge")
	void edgeHealthIndicatorReportsTheEdgePurgesWhenTheEdgeTierIsOn() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean("pageCacheEdgeHealthIndicator"));
		withEdge(this.runner).run((context) -> {
			HealthIndicator indicator = context.getBean("pageCacheEdgeHealthIndicator", HealthIndicator.class);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry(EdgePurgesHealthIndicator.QUEUED, 0L);
		});
		withEdge(this.runner).withPropertyValues("management.health.pagecache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("pageCacheEdgeHealthIndicator"));
	}

	private static WebApplicationContextRunner withEdge(WebApplicationContextRunner runner) {
		return runner.withConfiguration(AutoConfigurations.of(PageCacheEdgeAutoConfiguration.class))
			.withPropertyValues("pagecache.edge.enabled=true");
	}

	@Test
	void meterBinderRegistersBoundedMetersPerPage() {
		this.runner.run((context) -> {
			PageCacheStatistics statistics = context.getBean(PageCacheStatistics.class);
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(PageCacheMeterBinder.class).bindTo(registry);
			statistics.hit("/posts/{id}");
			statistics.miss("/posts/{id}", MissReason.EXPIRED, 5_000_000);
			statistics.invalidated(List.of("Post#1"));
			assertThat(registry.get("pagecache.requests")
				.tags("page", "/posts/{id}", "result", "hit")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("pagecache.misses")
				.tags("page", "/posts/{id}", "reason", "expired")
				.functionCounter()
				.count()).isEqualTo(1);
			assertThat(registry.get("pagecache.render").tag("page", "/posts/{id}").functionTimer().count())
				.isEqualTo(1);
			assertThat(registry.get("pagecache.invalidations").tag("type", "Post").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.find("pagecache.requests").meters()).hasSize(3);
			assertThat(registry.find("pagecache.misses").meters()).hasSize(4);
		});
	}

	@Test
	void userDefinedBeansAreKept() {
		PageCacheStatistics statistics = new PageCacheStatistics();
		this.runner.withBean(PageCacheStatistics.class, () -> statistics)
			.run((context) -> assertThat(context.getBean(PageCacheStatistics.class)).isSameAs(statistics));
	}

	@Test
	void backsOffWithoutActuatorAndMicrometer() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class, MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(PageCacheStatistics.class)
				.doesNotHaveBean(PageCacheEndpoint.class));
	}

	@Test
	void backsOffWithoutMicrometerButKeepsTheEndpoint() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.withPropertyValues("management.endpoints.web.exposure.include=pagecache")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(PageCacheEndpoint.class)
				.doesNotHaveBean(PageCacheMeterBinder.class));
	}

	@Test
	void backsOffWhenPagecacheIsDisabled() {
		this.runner.withPropertyValues("pagecache.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PageCacheStatistics.class));
	}

	private static PageEntry entry() {
		return new PageEntry(200, List.of(), new byte[] { 1 }, 1, "\"e\"", 0, Set.of("T"));
	}

}
