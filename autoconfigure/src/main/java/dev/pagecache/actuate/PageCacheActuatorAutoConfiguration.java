package dev.pagecache.actuate;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.metamodel.EntityType;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.actuate.PageCacheEndpoint.EdgeDescriptor;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.edge.PageCacheEdgeAutoConfiguration;
import dev.pagecache.edge.PageCacheEdgeAutoConfiguration.EdgeStatus;
import dev.pagecache.metrics.FleetStatistics;
import dev.pagecache.metrics.PageCacheMeterBinder;
import dev.pagecache.metrics.PageCacheStatistics;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsPageStore;
import dev.pagecache.web.PageCacheAutoConfiguration;
import dev.pagecache.web.PageCacheAutoConfiguration.RefreshAheadStatus;
import dev.pagecache.web.PageCacheFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the page cache's statistics and what shows them: the
 * {@code pagecache} actuator endpoint (and its HTML view), the health indicators of the
 * page store and, with the edge tier on, of the edge purges, and Micrometer meters.
 * Applies when Spring Boot's actuator or Micrometer is on the class path.
 * <p>
 * The statistics ({@link PageCacheStatistics}) are fed by the page cache filter and, for
 * invalidations and the reasons of misses, by the page store when it is a
 * {@link StatisticsPageStore} (both built-in stores are). With a shared store they are
 * also added up over the fleet, every instance sharing it ({@link FleetStatistics}).
 *
 * @author pagecache
 */
@AutoConfiguration(after = { PageCacheAutoConfiguration.class, PageCacheRedisAutoConfiguration.class,
		PageCacheEdgeAutoConfiguration.class })
@ConditionalOnBean({ PageCacheFilter.class, PageStore.class })
@Conditional(PageCacheActuatorAutoConfiguration.OnActuatorOrMicrometer.class)
@EnableConfigurationProperties(PageCacheProperties.class)
public final class PageCacheActuatorAutoConfiguration {

	/**
	 * The statistics. The page cache filter and the built-in stores report to them: they
	 * look this bean up as their {@code StatisticsListener} when they are created.
	 */
	@Bean
	@ConditionalOnMissingBean
	PageCacheStatistics pageCacheStatistics() {
		return new PageCacheStatistics();
	}

	/**
	 * Gives every page statistics (zeros) from the start, once the routes are known.
	 */
	@Bean
	static SmartInitializingSingleton pageCacheStatisticsPages(ObjectProvider<PageCacheFilter> filter,
			ObjectProvider<PageCacheStatistics> statistics) {
		return () -> statistics.getObject().register(filter.getObject().getPageNames());
	}

	@Bean
	@ConditionalOnMissingBean
	FleetStatistics pageCacheFleetStatistics(PageCacheStatistics statistics, PageStore store,
			PageCacheProperties properties) {
		FleetStatisticsStore fleetStore = (store instanceof StatisticsPageStore statisticsStore)
				? statisticsStore.fleetStatisticsStore() : null;
		return new FleetStatistics(statistics, fleetStore, properties.getStatistics().getFleetFlushInterval());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(PageCacheEndpoint.class)
	static final class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PageCacheEndpoint pageCacheEndpoint(PageCacheStatistics statistics, ObjectProvider<FleetStatistics> fleet,
				PageStore store, PageCache pageCache, PageCacheProperties properties,
				ObjectProvider<StatisticsHistory> history, ObjectProvider<EndpointAccessResolver> access,
				ObjectProvider<EntityTypes> entityTypes, ObjectProvider<EdgeStatus> edge,
				ObjectProvider<RefreshAheadStatus> refreshAhead) {
			PageCacheProperties.Dashboard dashboard = properties.getDashboard();
			PageCacheDashboard view = dashboard.isEnabled() ? new PageCacheDashboard(history.getIfAvailable(),
					isWritable(access.getIfAvailable()), dashboard.getPurgeRoles()) : null;
			return new PageCacheEndpoint(statistics, fleet.getIfAvailable(), store, pageCache, view,
					new EntryCounts(store), entityTypes.getIfAvailable(() -> EntityTypes.ANY),
					edgeDescriptor(edge.getIfAvailable()), refreshAheadOf(refreshAhead.getIfAvailable()));
		}

		/**
		 * Selector errors with a body that says what is wrong, over HTTP.
		 */
		@Bean
		@ConditionalOnBean(PageCacheEndpoint.class)
		@ConditionalOnMissingBean
		PageCacheEndpointWebExtension pageCacheEndpointWebExtension(PageCacheEndpoint endpoint) {
			return new PageCacheEndpointWebExtension(endpoint);
		}

		/**
		 * The dashboard's last hour, sampled while the application runs.
		 */
		@Bean
		@ConditionalOnBooleanProperty("pagecache.dashboard.enabled")
		StatisticsHistory pageCacheStatisticsHistory(PageCacheStatistics statistics,
				ObjectProvider<FleetStatistics> fleet, PageCacheProperties properties) {
			return new StatisticsHistory(new StatisticsSource(statistics, fleet.getIfAvailable()),
					properties.getDashboard().getHistoryInterval(), Clock.systemUTC());
		}

		/**
		 * The endpoint's {@code edge} section, read from the edge tier's status when it
		 * is on ({@code pagecache.edge.enabled}).
		 */
		private static @Nullable Supplier<EdgeDescriptor> edgeDescriptor(@Nullable EdgeStatus edge) {
			if (edge == null) {
				return null;
			}
			return () -> {
				EdgeStatus.Snapshot snapshot = edge.snapshot();
				return new EdgeDescriptor(snapshot.queued(), snapshot.lastFailure(), snapshot.lastFailureAt());
			};
		}

		/**
		 * The endpoint's {@code refreshAhead} section, when refresh-ahead is on.
		 */
		private static @Nullable Supplier<RefreshAheadStatus.Snapshot> refreshAheadOf(
				@Nullable RefreshAheadStatus refreshAhead) {
			return (refreshAhead != null) ? refreshAhead::snapshot : null;
		}

		/**
		 * Whether the endpoint's write operations (the purges) are mapped: only when the
		 * application granted unrestricted access.
		 */
		private static boolean isWritable(@Nullable EndpointAccessResolver access) {
			return access != null
					&& access.accessFor(EndpointId.of("pagecache"), Access.READ_ONLY) == Access.UNRESTRICTED;
		}

		/**
		 * The entity types {@code entities/} selectors may name: those of the
		 * application's persistence units.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(EntityManagerFactory.class)
		static final class JpaEntityTypesConfiguration {

			@Bean
			EntityTypes pageCacheEntityTypes(ObjectProvider<EntityManagerFactory> factories) {
				return new EntityTypes(() -> factories.orderedStream()
					.flatMap((factory) -> factory.getMetamodel().getEntities().stream())
					.map(EntityType::getJavaType)
					.filter(Objects::nonNull)
					.map(PageTags::type)
					.collect(Collectors.toSet()));
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("pagecache")
	static final class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "pageCacheHealthIndicator")
		PageStoreHealthIndicator pageCacheHealthIndicator(PageStore store) {
			return new PageStoreHealthIndicator(store);
		}

		/**
		 * The health of the edge purges, with the edge tier on
		 * ({@code pagecache.edge.enabled}).
		 */
		@Bean
		@ConditionalOnBean(EdgeStatus.class)
		@ConditionalOnMissingBean(name = "pageCacheEdgeHealthIndicator")
		EdgePurgesHealthIndicator pageCacheEdgeHealthIndicator(EdgeStatus edge) {
			return new EdgePurgesHealthIndicator(edge);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static final class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PageCacheMeterBinder pageCacheMeterBinder(PageCacheStatistics statistics) {
			return new PageCacheMeterBinder(statistics);
		}

	}

	/**
	 * Statistics are worth counting only when something shows them.
	 */
	static final class OnActuatorOrMicrometer extends AnyNestedCondition {

		OnActuatorOrMicrometer() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnClass(Endpoint.class)
		static final class Actuator {

		}

		@ConditionalOnClass(MeterBinder.class)
		static final class Micrometer {

		}

	}

}
