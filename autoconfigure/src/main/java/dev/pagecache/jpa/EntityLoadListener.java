package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.hibernate.Hibernate;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.InitializeCollectionEvent;
import org.hibernate.event.spi.InitializeCollectionEventListener;
import org.hibernate.event.spi.LoadEvent;
import org.hibernate.event.spi.LoadEventListener;
import org.hibernate.event.spi.PostLoadEvent;
import org.hibernate.event.spi.PostLoadEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.proxy.LazyInitializer;
import org.jspecify.annotations.Nullable;

/**
 * Makes every entity loaded, and every collection initialised, while a page renders a
 * dependency of that page: an entity {@code Post#42} adds {@code Post#42} and
 * {@code Post:*} (with the names of the types it inherits from as well), the children
 * tags of the entities it references through to-one associations (a comment of post 7
 * adds {@code Post#7:children}) and, once the page has read children of its type (see
 * {@link RenderReads}), its own children tag; a collection adds its owner's instance and
 * children tags.
 * <p>
 * {@code POST_LOAD} sees entities built from JDBC results; {@code LOAD} sees those that
 * {@code find}, {@code getReference} and proxy initialisation return, including those
 * that come from the second-level cache or the persistence context, for which
 * {@code POST_LOAD} does not fire. An uninitialised proxy is not a dependency until it is
 * initialised. Outside a render, the tags go nowhere.
 *
 * @author pagecache
 */
final class EntityLoadListener implements PostLoadEventListener, LoadEventListener, InitializeCollectionEventListener {

	private final EntityModel model;

	private final Supplier<@Nullable RenderReads> reads;

	private final Consumer<String[]> dependOn;

	/**
	 * @param reads supplies the reads of the page being rendered, {@code null} when they
	 * are not followed
	 * @param dependOn adds tags to the page the current thread renders, if any
	 */
	EntityLoadListener(EntityModel model, Supplier<@Nullable RenderReads> reads, Consumer<String[]> dependOn) {
		this.model = model;
		this.reads = reads;
		this.dependOn = dependOn;
	}

	@Override
	public void onPostLoad(PostLoadEvent event) {
		EntityPersister persister = event.getPersister();
		Object id = event.getId();
		if (persister != null && id != null) {
			loaded(persister, id, event.getEntity(), event.getSession());
		}
	}

	@Override
	public void onLoad(LoadEvent event, LoadType loadType) {
		Object result = event.getResult();
		if (result == null || !Hibernate.isInitialized(result)) {
			return;
		}
		LazyInitializer lazy = HibernateProxy.extractLazyInitializer(result);
		Object entity = (lazy != null) ? lazy.getImplementation() : result;
		SharedSessionContractImplementor session = event.getSession();
		EntityPersister persister = session.getEntityPersister(null, entity);
		Object id = (event.getEntityId() != null) ? event.getEntityId() : persister.getIdentifier(entity, session);
		if (id != null) {
			loaded(persister, id, entity, session);
		}
	}

	@Override
	public void onInitializeCollection(InitializeCollectionEvent event) {
		Object ownerId = event.getAffectedOwnerIdOrNull();
		String ownerName = event.getAffectedOwnerEntityName();
		if (ownerId != null && ownerName != null) {
			List<String> tags = new ArrayList<>(4);
			EntityTags owner = this.model.tags(this.model.persister(ownerName));
			owner.addInstance(tags, ownerId);
			owner.addChildren(tags, ownerId);
			this.dependOn.accept(tags.toArray(String[]::new));
		}
	}

	private void loaded(EntityPersister persister, Object id, Object entity, SharedSessionContractImplementor session) {
		EntityTags tags = this.model.tags(persister);
		List<String> dependencies = new ArrayList<>(4);
		tags.addInstance(dependencies, id);
		tags.addAny(dependencies);
		if (this.model.hasChildren(tags)) {
			RenderReads reads = this.reads.get();
			if (reads != null) {
				reads.loaded(new EntityReference(tags, id), dependencies);
			}
			else {
				tags.addChildren(dependencies, id);
			}
		}
		if (tags.hasToOneTargets()) {
			tags.addToOneTargets(dependencies, persister.getValues(entity), null, this.model, session);
		}
		this.dependOn.accept(dependencies.toArray(String[]::new));
	}

}
