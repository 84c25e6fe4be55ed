package dev.pagecache.jpa;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;

import org.springframework.beans.BeanUtils;
import org.springframework.util.ClassUtils;

/**
 * Connects Hibernate to the page cache: every entity loaded while a page renders becomes
 * a dependency of the page, and every committed write invalidates the pages that depend
 * on what it changed. See the {@linkplain dev.pagecache.jpa package documentation} for
 * the tags.
 * <p>
 * {@link #register(EntityManagerFactory)} appends the listeners to the session factory's
 * event listener registry. Bulk statements are seen only when the session factory was
 * built with the inspector of {@link #statementInspector(Object)} as its
 * {@code hibernate.session_factory.statement_inspector}, which the auto-configuration
 * arranges for Spring Boot's entity manager factory.
 *
 * @author pagecache
 */
public final class HibernatePageCacheIntegration {

	/**
	 * The Hibernate setting of the statement inspector.
	 */
	public static final String STATEMENT_INSPECTOR = "hibernate.session_factory.statement_inspector";

	private static final Log logger = LogFactory.getLog(HibernatePageCacheIntegration.class);

	private static final Set<SessionFactoryImplementor> registered = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	private final Supplier<@Nullable PageCache> pageCacheSupplier;

	private volatile @Nullable PageCache pageCache;

	/**
	 * Create an integration.
	 * @param pageCache supplies the page cache, once it exists
	 */
	public HibernatePageCacheIntegration(Supplier<@Nullable PageCache> pageCache) {
		this.pageCacheSupplier = pageCache;
	}

	/**
	 * Append the page cache's listeners to the session factory of an entity manager
	 * factory, once.
	 * @param entityManagerFactory the entity manager factory
	 */
	public void register(EntityManagerFactory entityManagerFactory) {
		SessionFactoryImplementor sessionFactory = entityManagerFactory.unwrap(SessionFactoryImplementor.class);
		if (!registered.add(sessionFactory)) {
			return;
		}
		EntityTracking tracking = new EntityTracking(sessionFactory, this::dependOn, this::invalidate);
		tracking.register(sessionFactory.getEventListenerRegistry());
		StatementInspector inspector = sessionFactory.getSessionFactoryOptions().getStatementInspector();
		if (inspector instanceof BulkStatementInspector bulk) {
			bulk.showReadsTo(tracking);
		}
		else {
			logger.info("pagecache does not see the bulk statements (JPQL and native executeUpdate) of "
					+ sessionFactory.getName() + ": set " + STATEMENT_INSPECTOR + " to "
					+ HibernatePageCacheIntegration.class.getSimpleName()
					+ ".statementInspector(...) or call PageCache.invalidateType after them");
		}
	}

	/**
	 * The statement inspector that sees bulk statements, applied after the application's
	 * own.
	 * @param configured the application's {@value #STATEMENT_INSPECTOR} setting: a
	 * {@link StatementInspector}, its class or its class name; or {@code null}
	 * @return the inspector to configure instead
	 */
	public static StatementInspector statementInspector(@Nullable Object configured) {
		if (configured instanceof BulkStatementInspector inspector) {
			return inspector;
		}
		return new BulkStatementInspector(resolve(configured));
	}

	private static @Nullable StatementInspector resolve(@Nullable Object configured) {
		if (configured == null || (configured instanceof String name && name.isBlank())) {
			return null;
		}
		if (configured instanceof StatementInspector inspector) {
			return inspector;
		}
		Class<?> type = (configured instanceof Class<?> given) ? given : ClassUtils
			.resolveClassName(configured.toString().trim(), HibernatePageCacheIntegration.class.getClassLoader());
		if (!StatementInspector.class.isAssignableFrom(type)) {
			throw new IllegalStateException(STATEMENT_INSPECTOR + " names " + type.getName() + ", which is not a "
					+ StatementInspector.class.getName());
		}
		return (StatementInspector) BeanUtils.instantiateClass(type);
	}

	private void dependOn(String[] tags) {
		PageCache cache = pageCache();
		if (cache != null) {
			cache.dependOn(tags);
		}
	}

	/**
	 * Send the invalidations of a committed transaction. The transaction has committed: a
	 * failure here must not reach the application, and the store remembers it (it empties
	 * the cache once it is reachable again).
	 */
	private void invalidate(Set<String> tags) {
		PageCache cache = pageCache();
		if (cache == null) {
			return;
		}
		try {
			cache.invalidateTags(tags);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not invalidate " + tags.size() + " tags after a commit; the page store clears "
					+ "the cache once it is reachable again: " + ex.getMessage());
		}
	}

	private @Nullable PageCache pageCache() {
		PageCache cache = this.pageCache;
		if (cache == null) {
			cache = this.pageCacheSupplier.get();
			this.pageCache = cache;
		}
		return cache;
	}

}
