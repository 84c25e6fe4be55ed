package dev.pagecache.actuate;

import dev.pagecache.store.PageStore;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the page store: {@code DOWN} when it cannot be reached or answers too
 * late. The application keeps serving meanwhile, uncached; include this indicator in a
 * readiness group only if serving uncached is not acceptable.
 *
 * @author pagecache
 */
final class PageStoreHealthIndicator extends AbstractHealthIndicator {

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
		PageStoreProbe.check(this.store);
		builder.up();
	}

}
