package dev.pagecache.edge;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health of the edge purges, imported by {@link PageCacheEdgeAutoConfiguration} where
 * Spring Boot's health support is: the indicator {@code pageCacheEdge}.
 *
 * @author pagecache
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnEnabledHealthIndicator("pagecache")
final class EdgeHealthConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "pageCacheEdgeHealthIndicator")
	EdgePurgesHealthIndicator pageCacheEdgeHealthIndicator(EdgePurges purges) {
		return new EdgePurgesHealthIndicator(purges);
	}

	/**
	 * {@value #DEGRADED_CODE} while failed purges wait to be retried (the edge may serve
	 * pages they drop), with {@value #QUEUED} and {@value #LAST_FAILURE} in its details;
	 * like the page store's, the status is left out of Boot's default aggregate.
	 */
	static final class EdgePurgesHealthIndicator extends AbstractHealthIndicator {

		/** The code of the status while purges wait. */
		static final String DEGRADED_CODE = "DEGRADED";

		/** The detail that counts the failed purges waiting to be retried. */
		static final String QUEUED = "edgePurgesQueued";

		/** The detail that names the purger, message and time of the last failure. */
		static final String LAST_FAILURE = "lastEdgePurgeFailure";

		private static final Status DEGRADED = new Status(DEGRADED_CODE,
				"Edge purges wait to be retried: the edge may serve pages they drop");

		private final EdgePurges purges;

		EdgePurgesHealthIndicator(EdgePurges purges) {
			super("Edge purges health check failed");
			this.purges = purges;
		}

		@Override
		protected void doHealthCheck(Health.Builder builder) {
			EdgePurges.Status status = this.purges.status();
			builder.withDetail(QUEUED, status.queued());
			if (status.lastFailure() != null) {
				builder.withDetail(LAST_FAILURE, status.lastFailure() + " at " + status.lastFailureAt());
			}
			builder.status((status.queued() > 0) ? DEGRADED : Status.UP);
		}

	}

}
