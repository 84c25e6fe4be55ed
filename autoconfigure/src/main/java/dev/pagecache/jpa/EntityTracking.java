package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.jspecify.annotations.Nullable;

/**
 * The page cache's listeners on one session factory: load capture, entity changes and
 * bulk statements, with the transactions' pending invalidations.
 *
 * @author pagecache
 */
final class EntityTracking {

	private final EntityModel model;

	private final TransactionInvalidations invalidations;

	private final Consumer<String[]> dependOn;

	private final String readsAttribute = RenderReads.class.getName() + "@" + Integer.toHexString(hashCode());

	private volatile boolean readsVisible;

	EntityTracking(SessionFactoryImplementor sessionFactory, Consumer<String[]> dependOn,
			Consumer<Set<String>> invalidate) {
		this.model = new EntityModel(sessionFactory);
		this.invalidations = new TransactionInvalidations(invalidate);
		this.dependOn = dependOn;
	}

	void register(EventListenerRegistry registry) {
		EntityLoadListener load = new EntityLoadListener(this.model, this::reads, this.dependOn);
		registry.appendListeners(EventType.POST_LOAD, load);
		registry.appendListeners(EventType.LOAD, load);
		registry.appendListeners(EventType.INIT_COLLECTION, load);
		EntityChangeListener change = new EntityChangeListener(this.model, this.invalidations);
		registry.appendListeners(EventType.POST_INSERT, change);
		registry.appendListeners(EventType.POST_UPDATE, change);
		registry.appendListeners(EventType.POST_DELETE, change);
		registry.appendListeners(EventType.POST_UPSERT, change);
		registry.appendListeners(EventType.POST_COLLECTION_RECREATE, change);
		registry.appendListeners(EventType.POST_COLLECTION_UPDATE, change);
		registry.appendListeners(EventType.POST_COLLECTION_REMOVE, change);
		QueryExecutionListener queries = new QueryExecutionListener(this);
		registry.appendListeners(EventType.AUTO_FLUSH, queries);
		registry.appendListeners(EventType.PRE_INSERT, queries);
		registry.appendListeners(EventType.PRE_UPDATE, queries);
		registry.appendListeners(EventType.PRE_DELETE, queries);
		registry.appendListeners(EventType.PRE_UPSERT, queries);
		registry.appendListeners(EventType.PRE_COLLECTION_RECREATE, queries);
		registry.appendListeners(EventType.PRE_COLLECTION_UPDATE, queries);
		registry.appendListeners(EventType.PRE_COLLECTION_REMOVE, queries);
	}

	/**
	 * A write statement that a session ran as a bulk statement: invalidate the types of
	 * the tables it writes when the transaction commits.
	 */
	void bulkStatement(SharedSessionContractImplementor session, String sql) {
		Set<String> tags = BulkStatementInspector.tagsOf(sql, this.model);
		if (tags != null) {
			this.invalidations.add(session, tags);
		}
	}

	/**
	 * From now on, this tracking sees every statement of the session factory through
	 * {@link #statement(String)}, so a page depends on the children of an entity only
	 * once it has read them.
	 */
	void readsVisible() {
		this.readsVisible = true;
	}

	/**
	 * A statement about to run: if it reads the children of entity types, the page being
	 * rendered depends on the children of the entities of those types it loaded.
	 */
	void statement(String sql) {
		if (!this.readsVisible) {
			return;
		}
		Set<String> parents = this.model.parentsReadBy(sql);
		if (parents.isEmpty()) {
			return;
		}
		RenderReads reads = RenderReads.current(this.readsAttribute);
		if (reads != null) {
			List<String> tags = new ArrayList<>();
			reads.read(parents, tags);
			if (!tags.isEmpty()) {
				this.dependOn.accept(tags.toArray(String[]::new));
			}
		}
	}

	/**
	 * The reads of the page being rendered, or {@code null} when they cannot be followed
	 * (statements not seen, or no request): then a page depends on the children of every
	 * entity it loads.
	 */
	private @Nullable RenderReads reads() {
		return this.readsVisible ? RenderReads.current(this.readsAttribute) : null;
	}

	EntityModel model() {
		return this.model;
	}

}
