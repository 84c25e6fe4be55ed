package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

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

/**
 * Makes every entity loaded, and every collection initialised, while a page renders a dependency of that
 * page: an entity {@code Post#42} adds {@code Post#42} and {@code Post:*} (with the names of the types it
 * inherits from as well); a collection adds its owner's instance tag.
 * <p>
 * {@code POST_LOAD} sees entities built from JDBC results; {@code LOAD} sees those that {@code find},
 * {@code getReference} and proxy initialisation return, including those that come from the second-level
 * cache or the persistence context, for which {@code POST_LOAD} does not fire. An uninitialised proxy is not
 * a dependency until it is initialised. Outside a render, the tags go nowhere.
 *
 * @author pagecache
 */
final class EntityLoadListener implements PostLoadEventListener, LoadEventListener, InitializeCollectionEventListener {

	private final EntityModel model;

	private final Consumer<String[]> dependOn;

	/**
	 * @param dependOn adds tags to the page the current thread renders, if any
	 */
	EntityLoadListener(EntityModel model, Consumer<String[]> dependOn) {
		this.model = model;
		this.dependOn = dependOn;
	}

	@Override
	public void onPostLoad(PostLoadEvent event) {
		EntityPersister persister = event.getPersister();
		Object id = event.getId();
		if (persister != null && id != null) {
			loaded(this.model.tags(persister), id);
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
			loaded(this.model.tags(persister), id);
		}
	}

	@Override
	public void onInitializeCollection(InitializeCollectionEvent event) {
		Object ownerId = event.getAffectedOwnerIdOrNull();
		String ownerName = event.getAffectedOwnerEntityName();
		if (ownerId != null && ownerName != null) {
			List<String> tags = new ArrayList<>(2);
			this.model.tags(this.model.persister(ownerName)).addInstance(tags, ownerId);
			this.dependOn.accept(tags.toArray(String[]::new));
		}
	}

	private void loaded(EntityTags tags, Object id) {
		List<String> dependencies = new ArrayList<>(4);
		tags.addInstance(dependencies, id);
		tags.addAny(dependencies);
		this.dependOn.accept(dependencies.toArray(String[]::new));
	}

}
