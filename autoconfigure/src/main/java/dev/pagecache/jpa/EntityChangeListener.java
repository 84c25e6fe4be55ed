package dev.pagecache.jpa;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hibernate.collection.spi.PersistentCollection;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.AbstractCollectionEvent;
import org.hibernate.event.spi.PostCollectionRecreateEvent;
import org.hibernate.event.spi.PostCollectionRecreateEventListener;
import org.hibernate.event.spi.PostCollectionRemoveEvent;
import org.hibernate.event.spi.PostCollectionRemoveEventListener;
import org.hibernate.event.spi.PostCollectionUpdateEvent;
import org.hibernate.event.spi.PostCollectionUpdateEventListener;
import org.hibernate.event.spi.PostDeleteEvent;
import org.hibernate.event.spi.PostDeleteEventListener;
import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PostUpsertEvent;
import org.hibernate.event.spi.PostUpsertEventListener;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.jspecify.annotations.Nullable;

/**
 * Collects the tags that each entity write invalidates and hands them to
 * {@link TransactionInvalidations}, which sends them once the transaction has committed:
 * <ul>
 * <li>an inserted, updated or deleted entity: its instance tag and its type tag, under
 * its own name and those of the types it inherits from; for an update, the tags of the
 * attributes it changed ({@code Post#7.title}); for a delete or an update whose changes
 * are not known, {@code Post#7.*};</li>
 * <li>on insert and delete, the children tags ({@code Post#7:children}) of the entities
 * it references through to-one associations; on update, those of the old and the new
 * entity of each to-one association whose foreign key changed;</li>
 * <li>a collection recreated, updated or removed: its owner's instance and children tags
 * and the tag of the owner's attribute that holds the collection; for a collection its
 * owner writes (not {@code mappedBy}) of entities, also the instance tags of the elements
 * that entered or left it.</li>
 * </ul>
 * The listeners run in the flush, before the commit; nothing is sent from here.
 *
 * @author pagecache
 */
final class EntityChangeListener
		implements PostInsertEventListener, PostUpdateEventListener, PostDeleteEventListener, PostUpsertEventListener,
		PostCollectionRecreateEventListener, PostCollectionUpdateEventListener, PostCollectionRemoveEventListener {

	private static final int[] NO_ATTRIBUTES = {};

	private final EntityModel model;

	private final TransactionInvalidations invalidations;

	EntityChangeListener(EntityModel model, TransactionInvalidations invalidations) {
		this.model = model;
		this.invalidations = invalidations;
	}

	@Override
	public void onPostInsert(PostInsertEvent event) {
		// a new entity was on no page: no attribute tag to drop
		changed(event.getSession(), event.getPersister(), event.getId(), event.getState(), null, false, NO_ATTRIBUTES);
	}

	@Override
	public void onPostUpdate(PostUpdateEvent event) {
		Object[] oldState = event.getOldState();
		// without the old state every current target counts as changed; the old ones are
		// unknown, but the
		// pages that showed this entity with them are dropped by its own tag
		changed(event.getSession(), event.getPersister(), event.getId(), event.getState(), oldState, oldState != null,
				event.getDirtyProperties());
	}

	@Override
	public void onPostDelete(PostDeleteEvent event) {
		changed(event.getSession(), event.getPersister(), event.getId(), event.getDeletedState(), null, false, null);
	}

	@Override
	public void onPostUpsert(PostUpsertEvent event) {
		changed(event.getSession(), event.getPersister(), event.getId(), event.getState(), null, false, null);
	}

	@Override
	public boolean requiresPostCommitHandling(EntityPersister persister) {
		return false;
	}

	private void changed(SharedSessionContractImplementor session, EntityPersister persister, @Nullable Object id,
			@Nullable Object @Nullable [] state, @Nullable Object @Nullable [] oldState, boolean onlyChangedTargets,
			int @Nullable [] dirty) {
		EntityTags tags = this.model.tags(persister);
		Set<String> invalidated = new LinkedHashSet<>();
		if (id != null) {
			tags.addInstance(invalidated, id);
			tags.addAttributes(invalidated, id, dirty);
		}
		tags.addTypes(invalidated);
		if (state != null) {
			tags.addToOneTargets(invalidated, state, onlyChangedTargets ? oldState : null, this.model, session);
		}
		this.invalidations.add(session, invalidated);
	}

	@Override
	public void onPostRecreateCollection(PostCollectionRecreateEvent event) {
		collectionChanged(event, List.of(), elements(event.getCollection()));
	}

	@Override
	public void onPostUpdateCollection(PostCollectionUpdateEvent event) {
		PersistentCollection<?> collection = event.getCollection();
		collectionChanged(event, snapshotElements(collection.getStoredSnapshot()), elements(collection));
	}

	@Override
	public void onPostRemoveCollection(PostCollectionRemoveEvent event) {
		PersistentCollection<?> collection = event.getCollection();
		Collection<?> removed = collection.wasInitialized() ? snapshotElements(collection.getStoredSnapshot())
				: List.of();
		collectionChanged(event, removed, List.of());
	}

	private void collectionChanged(AbstractCollectionEvent event, Collection<?> before, Collection<?> after) {
		SharedSessionContractImplementor session = event.getSession();
		Set<String> invalidated = new LinkedHashSet<>();
		Object ownerId = event.getAffectedOwnerIdOrNull();
		String ownerName = event.getAffectedOwnerEntityName();
		CollectionPersister persister = event.getCollectionPersister();
		if (ownerId != null && ownerName != null) {
			EntityTags owner = this.model.tags(this.model.persister(ownerName));
			owner.addInstance(invalidated, ownerId);
			owner.addChildren(invalidated, ownerId);
			String attribute = (persister != null) ? ownerAttribute(persister) : null;
			if (attribute != null) {
				owner.addAttribute(invalidated, ownerId, attribute);
			}
			else {
				owner.addAttributes(invalidated, ownerId, null);
			}
		}
		if (persister != null && !persister.isInverse() && EntityModel.holdsEntities(persister)) {
			String elementName = persister.getElementPersister().getEntityName();
			Set<EntityReference> left = references(before, elementName, session);
			Set<EntityReference> entered = references(after, elementName, session);
			Set<EntityReference> changed = new LinkedHashSet<>(left);
			changed.addAll(entered);
			left.retainAll(entered);
			changed.removeAll(left);
			changed.forEach((reference) -> EntityReference.addTo(invalidated, reference));
		}
		this.invalidations.add(session, invalidated);
	}

	/**
	 * The attribute of the owner that holds a collection: the first step of its role's
	 * path, or {@code null} when the role does not start with the owner's entity name.
	 */
	private static @Nullable String ownerAttribute(CollectionPersister persister) {
		String role = persister.getRole();
		String owner = persister.getOwnerEntityPersister().getEntityName() + ".";
		if (!role.startsWith(owner) || role.length() == owner.length()) {
			return null;
		}
		int dot = role.indexOf('.', owner.length());
		return role.substring(owner.length(), (dot >= 0) ? dot : role.length());
	}

	private Set<EntityReference> references(Collection<?> values, String entityName,
			SharedSessionContractImplementor session) {
		Set<EntityReference> references = new LinkedHashSet<>();
		for (Object value : values) {
			EntityReference reference = this.model.reference(value, entityName, session);
			if (reference != null) {
				references.add(reference);
			}
		}
		return references;
	}

	private static Collection<?> elements(PersistentCollection<?> collection) {
		if (!collection.wasInitialized()) {
			return List.of();
		}
		if (collection instanceof Map<?, ?> map) {
			return new ArrayList<>(map.values());
		}
		if (collection instanceof Collection<?> values) {
			return new ArrayList<>(values);
		}
		return List.of();
	}

	private static Collection<?> snapshotElements(@Nullable Serializable snapshot) {
		if (snapshot instanceof Map<?, ?> map) {
			return map.values();
		}
		if (snapshot instanceof Collection<?> values) {
			return values;
		}
		return List.of();
	}

}
