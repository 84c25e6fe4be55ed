package dev.pagecache.jpa;

import java.lang.ref.WeakReference;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.jspecify.annotations.Nullable;

/**
 * Sees the SQL of bulk statements (JPQL, criteria and native {@code executeUpdate}),
 * which change rows without entity events, and invalidates the types of the tables they
 * write when the transaction commits.
 * <p>
 * A {@link StatementInspector} sees every statement but not the session nor whether it is
 * a bulk statement or the write of one entity. Hibernate runs every bulk statement
 * through its mutation executor, which fires {@code AUTO_FLUSH} for the session just
 * before it prepares the statement; entity writes are each preceded by a
 * {@code PRE_INSERT}, {@code PRE_UPDATE}, {@code PRE_DELETE}, {@code PRE_UPSERT} or
 * {@code PRE_COLLECTION_*} event. {@link QueryExecutionListener} therefore arms this
 * thread for the session on {@code AUTO_FLUSH} (after the flush itself has run) and
 * disarms it on those pre-events; a write statement seen while armed is a bulk statement
 * of that session. A write that Hibernate makes without a pre-event (a forced version
 * increment) is taken for a bulk write: more pages are dropped than needed, never fewer.
 *
 * @author pagecache
 */
final class BulkStatementInspector implements StatementInspector {

	private static final long serialVersionUID = 1L;

	private static final Log logger = LogFactory.getLog(BulkStatementInspector.class);

	private static final ThreadLocal<@Nullable Armed> armed = new ThreadLocal<>();

	private final @Nullable StatementInspector delegate;

	private volatile @Nullable EntityTracking reads;

	/**
	 * @param delegate the application's own inspector, applied first
	 */
	BulkStatementInspector(@Nullable StatementInspector delegate) {
		this.delegate = delegate;
	}

	@Override
	public @Nullable String inspect(String sql) {
		String inspected = (this.delegate != null) ? this.delegate.inspect(sql) : sql;
		EntityTracking reads = this.reads;
		if (reads != null) {
			reads.statement((inspected != null) ? inspected : sql);
		}
		Armed current = armed.get();
		if (current != null) {
			SharedSessionContractImplementor session = current.session.get();
			if (session == null) {
				armed.remove();
			}
			else {
				current.tracking.bulkStatement(session, (inspected != null) ? inspected : sql);
			}
		}
		return inspected;
	}

	/**
	 * Let a session factory's tracking see every statement, to follow what pages read.
	 * @param tracking the tracking of the session factory this inspector belongs to
	 * @return {@code false} when another session factory's tracking sees them already
	 */
	synchronized boolean showReadsTo(EntityTracking tracking) {
		if (this.reads != null && this.reads != tracking) {
			return false;
		}
		this.reads = tracking;
		tracking.readsVisible();
		return true;
	}

	static void arm(SharedSessionContractImplementor session, EntityTracking tracking) {
		Armed current = armed.get();
		if (current == null || current.session.get() != session) {
			armed.set(new Armed(new WeakReference<>(session), tracking));
		}
	}

	static void disarm() {
		armed.remove();
	}

	/**
	 * The tags a bulk statement invalidates.
	 * @param sql the statement
	 * @param model the entity model
	 * @return {@code null} when the statement writes nothing
	 */
	static @Nullable Set<String> tagsOf(String sql, EntityModel model) {
		List<String> targets = MutationStatements.targets(sql);
		if (targets == null) {
			return null;
		}
		Set<String> tags = new LinkedHashSet<>();
		for (String table : targets) {
			tags.addAll(model.typeWideTags(table));
		}
		if (targets.isEmpty()) {
			// the target could not be read: every mapped table the statement names counts
			// as written
			for (String word : MutationStatements.words(sql)) {
				tags.addAll(model.typeWideTags(word));
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Could not read the target table of a bulk statement; invalidating " + tags + ": " + sql);
			}
		}
		return tags;
	}

	private record Armed(WeakReference<SharedSessionContractImplementor> session, EntityTracking tracking) {

	}

}
