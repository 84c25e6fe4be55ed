package dev.pagecache.actuate;

import dev.pagecache.store.PageStore;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of the page store: {@value #DEGRADED_CODE} when it cannot be reached or
 * answers too late, within the store's own short timeout.
 * <p>
 * The application keeps serving every page meanwhile, uncached, so an outage of the store
 * does not make the application {@code DOWN}: Boot's default status order leaves
 * {@value #DEGRADED_CODE} out of the aggregate, and its HTTP mapping answers 200. An
 * application that cannot do without the cache adds the status to
 * {@code management.endpoint.health.status.order} (and maps it to 503), or puts the
 * indicator in a group of its own.
 *
 * @author pagecache
 */
final class PageStoreHealthIndicator extends AbstractHealthIndicator {

	/** The code of the status of a store that cannot be reached. */
	static final String DEGRADED_CODE = "DEGRADED";

	/** The status of a store that cannot be reached: pages are served uncached. */
	static final Status DEGRADED = new Status(DEGRADED_CODE, "Pages are served uncached");

	private final PageStore store;

	/**
	 * Create an indicator.
	 * @param store the page store
	 */
	public PageStoreHealthIndicator(PageStore store) {
		super("Page store health check failed");
		this.store = store;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("store", this.store.getName());
		try {
			PageStoreProbe.check(this.store);
			builder.up();
		}
		catch (RuntimeException ex) {
			builder.status(DEGRADED).withException(ex);
		}
	}

}
