package dev.pagecache.jpa;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.hibernate.bytecode.enhance.spi.LazyPropertyInitializer;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.MappingMetamodel;
import org.hibernate.metamodel.mapping.EntityValuedModelPart;
import org.hibernate.persister.collection.CollectionPersister;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.proxy.LazyInitializer;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;

/**
 * The entity types of one session factory as tags see them: the {@link EntityTags} of
 * each entity, for each table the tags a type-wide change of its rows invalidates, and
 * which tables hold the children of which types.
 *
 * @author pagecache
 */
final class EntityModel {

	/**
	 * Statements whose children reads are remembered; more (native SQL with literals) are
	 * parsed each time.
	 */
	private static final int MAX_REMEMBERED_STATEMENTS = 2048;

	private final SessionFactoryImplementor sessionFactory;

	private final Map<String, EntityTags> tagsByEntityName = new ConcurrentHashMap<>();

	private volatile @Nullable Map<String, Set<String>> tagsByTable;

	private volatile @Nullable Children children;

	private final Map<String, Set<String>> parentsReadByStatement = new ConcurrentHashMap<>();

	EntityModel(SessionFactoryImplementor sessionFactory) {
		this.sessionFactory = sessionFactory;
	}

	EntityTags tags(EntityPersister persister) {
		return this.tagsByEntityName.computeIfAbsent(persister.getEntityName(), (name) -> EntityTags.of(persister));
	}

	EntityPersister persister(String entityName) {
		return metamodel().getEntityDescriptor(entityName);
	}

	/**
	 * The entity a value of an association references.
	 * @param value the value: an entity, a proxy, {@code null} or a marker of an
	 * unfetched attribute
	 * @param entityName the entity name the association declares
	 * @param session the session the value belongs to
	 * @return the reference, or {@code null} when the value names no entity
	 */
	@Nullable EntityReference reference(@Nullable Object value, String entityName, SharedSessionContractImplementor session) {
		if (value == null || value == LazyPropertyInitializer.UNFETCHED_PROPERTY) {
			return null;
		}
		LazyInitializer lazy = HibernateProxy.extractLazyInitializer(value);
		if (lazy != null) {
			return new EntityReference(tags(persister(lazy.getEntityName())), lazy.getInternalIdentifier());
		}
		if (metamodel().findEntityDescriptor(value.getClass()) == null) {
			return null;
		}
		EntityPersister persister = session.getEntityPersister(entityName, value);
		Object id = persister.getIdentifier(value, session);
		return (id != null) ? new EntityReference(tags(persister), id) : null;
	}

	/**
	 * The tags that a change of any number of rows of a table invalidates: for each
	 * entity type stored (partly) in the table, and each of its subtypes, the type tag
	 * and the "showed some" tag; the type tags of the types they inherit from; and for a
	 * collection table, those of the collection's owner and element entity types.
	 * @param table a table name as SQL names it, possibly qualified or quoted
	 * @return the tags, empty for a table no entity is mapped to
	 */
	Set<String> typeWideTags(String table) {
		return tablesIndex().getOrDefault(normalize(table), Set.of());
	}

	/**
	 * Whether entities of a type have children: entities that reference it through a
	 * to-one association, or elements of its collections.
	 * @param tags the tags of the entity type
	 * @return whether pages that show the entity may depend on its children
	 */
	boolean hasChildren(EntityTags tags) {
		return children().parents().contains(tags.root());
	}

	/**
	 * The entity types whose children a statement reads: for each table it names that
	 * holds the children of a type (the rows of an entity with a to-one association to
	 * it, or of one of its collections), the root name of that type.
	 * @param sql the statement
	 * @return the root entity names, empty when the statement reads no children
	 */
	Set<String> parentsReadBy(String sql) {
		Set<String> parents = this.parentsReadByStatement.get(sql);
		if (parents != null) {
			return parents;
		}
		Map<String, Set<String>> byTable = children().byTable();
		Set<String> read = new LinkedHashSet<>();
		for (String word : MutationStatements.words(sql)) {
			read.addAll(byTable.getOrDefault(normalize(word), Set.of()));
		}
		parents = Set.copyOf(read);
		if (this.parentsReadByStatement.size() < MAX_REMEMBERED_STATEMENTS) {
			this.parentsReadByStatement.put(sql, parents);
		}
		return parents;
	}

	private Children children() {
		Children children = this.children;
		if (children == null) {
			children = buildChildren();
			this.children = children;
		}
		return children;
	}

	private Children buildChildren() {
		Map<String, Set<String>> byTable = new HashMap<>();
		metamodel().forEachEntityDescriptor((persister) -> {
			for (String target : tags(persister).toOneTargetNames()) {
				String parent = tags(persister(target)).root();
				for (Serializable space : persister.getQuerySpaces()) {
					byTable.computeIfAbsent(normalize(space.toString()), (t) -> new HashSet<>()).add(parent);
				}
			}
		});
		metamodel().forEachCollectionDescriptor((collection) -> {
			String parent = tags(collection.getOwnerEntityPersister()).root();
			for (String space : collection.getCollectionSpaces()) {
				byTable.computeIfAbsent(normalize(space), (t) -> new HashSet<>()).add(parent);
			}
		});
		Map<String, Set<String>> frozen = new HashMap<>();
		Set<String> parents = new HashSet<>();
		byTable.forEach((table, roots) -> {
			frozen.put(table, Set.copyOf(roots));
			parents.addAll(roots);
		});
		return new Children(Map.copyOf(frozen), Set.copyOf(parents));
	}

	private Map<String, Set<String>> tablesIndex() {
		Map<String, Set<String>> index = this.tagsByTable;
		if (index == null) {
			index = buildTablesIndex();
			this.tagsByTable = index;
		}
		return index;
	}

	private Map<String, Set<String>> buildTablesIndex() {
		Map<String, Set<String>> index = new HashMap<>();
		metamodel().forEachEntityDescriptor((persister) -> {
			Set<String> tags = typeWide(persister);
			for (Serializable space : persister.getQuerySpaces()) {
				index.computeIfAbsent(normalize(space.toString()), (t) -> new LinkedHashSet<>()).addAll(tags);
			}
		});
		metamodel().forEachCollectionDescriptor((collection) -> addCollectionTable(index, collection));
		Map<String, Set<String>> frozen = new HashMap<>();
		index.forEach((table, tags) -> frozen.put(table, Collections.unmodifiableSet(tags)));
		return Map.copyOf(frozen);
	}

	private void addCollectionTable(Map<String, Set<String>> index, CollectionPersister collection) {
		if (collection.isOneToMany()) {
			return;
		}
		Set<String> tags = index.computeIfAbsent(normalize(collection.getTableName()), (t) -> new LinkedHashSet<>());
		tags.addAll(typeWide(collection.getOwnerEntityPersister()));
		if (holdsEntities(collection)) {
			tags.addAll(typeWide(collection.getElementPersister()));
		}
	}

	/**
	 * Whether the elements of a collection are entities (rather than values or
	 * embeddables).
	 */
	static boolean holdsEntities(CollectionPersister collection) {
		return collection.getAttributeMapping().getElementDescriptor() instanceof EntityValuedModelPart;
	}

	private Set<String> typeWide(EntityPersister persister) {
		Set<String> tags = new LinkedHashSet<>();
		EntityTags own = tags(persister);
		own.addTypes(tags);
		List<EntityPersister> subtypes = new ArrayList<>();
		persister.getSubMappingTypes().forEach((sub) -> subtypes.add(sub.getEntityPersister()));
		subtypes.add(persister);
		for (EntityPersister type : subtypes) {
			String name = EntityTags.name(type);
			tags.add(name);
			tags.add(PageTags.anyOf(name));
		}
		return tags;
	}

	static String normalize(String table) {
		String name = table.trim();
		int dot = lastDotOutsideQuotes(name);
		if (dot >= 0) {
			name = name.substring(dot + 1);
		}
		if (name.length() >= 2 && "\"`[".indexOf(name.charAt(0)) >= 0) {
			name = name.substring(1, name.length() - 1);
		}
		return name.toLowerCase(Locale.ROOT);
	}

	private static int lastDotOutsideQuotes(String name) {
		boolean quoted = false;
		int dot = -1;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '"' || c == '`' || c == '[' || c == ']') {
				quoted = (c == '[') || (c != ']' && !quoted);
			}
			else if (c == '.' && !quoted) {
				dot = i;
			}
		}
		return dot;
	}

	private MappingMetamodel metamodel() {
		return this.sessionFactory.getMappingMetamodel();
	}

	/**
	 * Where the children of entity types are stored.
	 *
	 * @param byTable for each table, the root names of the types whose children it holds
	 * @param parents the root names of the types that have children
	 */
	private record Children(Map<String, Set<String>> byTable, Set<String> parents) {

	}

}
