package dev.pagecache.jpa;

import org.hibernate.event.spi.AutoFlushEvent;
import org.hibernate.event.spi.AutoFlushEventListener;
import org.hibernate.event.spi.PreCollectionRecreateEvent;
import org.hibernate.event.spi.PreCollectionRecreateEventListener;
import org.hibernate.event.spi.PreCollectionRemoveEvent;
import org.hibernate.event.spi.PreCollectionRemoveEventListener;
import org.hibernate.event.spi.PreCollectionUpdateEvent;
import org.hibernate.event.spi.PreCollectionUpdateEventListener;
import org.hibernate.event.spi.PreDeleteEvent;
import org.hibernate.event.spi.PreDeleteEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.event.spi.PreUpsertEvent;
import org.hibernate.event.spi.PreUpsertEventListener;

/**
 * Tells {@link BulkStatementInspector} when the statements of the current thread may be
 * bulk statements (after an {@code AUTO_FLUSH}, which Hibernate fires before each query
 * and bulk statement) and when they are the writes of single entities and collections
 * (after a pre-event). Never vetoes anything.
 *
 * @author pagecache
 */
final class QueryExecutionListener implements AutoFlushEventListener, PreInsertEventListener, PreUpdateEventListener,
		PreDeleteEventListener, PreUpsertEventListener, PreCollectionRecreateEventListener,
		PreCollectionUpdateEventListener, PreCollectionRemoveEventListener {

	private final EntityTracking tracking;

	QueryExecutionListener(EntityTracking tracking) {
		this.tracking = tracking;
	}

	@Override
	public void onAutoFlush(AutoFlushEvent event) {
		BulkStatementInspector.arm(event.getSession(), this.tracking);
	}

	@Override
	public boolean onPreInsert(PreInsertEvent event) {
		BulkStatementInspector.disarm();
		return false;
	}

	@Override
	public boolean onPreUpdate(PreUpdateEvent event) {
		BulkStatementInspector.disarm();
		return false;
	}

	@Override
	public boolean onPreDelete(PreDeleteEvent event) {
		BulkStatementInspector.disarm();
		return false;
	}

	@Override
	public boolean onPreUpsert(PreUpsertEvent event) {
		BulkStatementInspector.disarm();
		return false;
	}

	@Override
	public void onPreRecreateCollection(PreCollectionRecreateEvent event) {
		BulkStatementInspector.disarm();
	}

	@Override
	public void onPreUpdateCollection(PreCollectionUpdateEvent event) {
		BulkStatementInspector.disarm();
	}

	@Override
	public void onPreRemoveCollection(PreCollectionRemoveEvent event) {
		BulkStatementInspector.disarm();
	}

}
