package dev.pagecache.actuate;

import dev.pagecache.edge.PageCacheEdgeAutoConfiguration.EdgeStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the edge purges ({@code pageCacheEdge}): {@value #DEGRADED_CODE} while
 * failed purges wait to be retried (the edge may serve pages they drop), with
 * {@value #QUEUED} and {@value #LAST_FAILURE} in its details. Like the page store's, the
 * status is left out of Boot's default aggregate ({@link PageStoreHealthIndicator}).
 *
 * @author pagecache
 */
final class EdgePurgesHealthIndicator extends AbstractHealthIndicator {

	/** The code of the status while purges wait. */
	static final String DEGRADED_CODE = PageStoreHealthIndicator.DEGRADED_CODE;

	/** The detail that counts the failed purges waiting to be retried. */
	static final String QUEUED = "edgePurgesQueued";

	/** The detail that names the purger, message and time of the last failure. */
	static final String LAST_FAILURE = "lastEdgePurgeFailure";

	private static final Status DEGRADED = new Status(DEGRADED_CODE,
			"Edge purges wait to be retried: the edge may serve pages they drop");

	private final EdgeStatus edge;

	EdgePurgesHealthIndicator(EdgeStatus edge) {
		super("Edge purges health check failed");
		this.edge = edge;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		EdgeStatus.Snapshot status = this.edge.snapshot();
		builder.withDetail(QUEUED, status.queued());
		if (status.lastFailure() != null) {
			builder.withDetail(LAST_FAILURE, status.lastFailure() + " at " + status.lastFailureAt());
		}
		builder.status((status.queued() > 0) ? DEGRADED : Status.UP);
	}

}
