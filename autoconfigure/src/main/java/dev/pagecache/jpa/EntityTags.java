package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.metamodel.mapping.EntityMappingType;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.type.EntityType;
import org.hibernate.type.Type;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;

import org.springframework.util.StringUtils;

/**
 * How the pages that show one entity type are tagged: the names the entity goes by (its
 * own and those of the entity types it inherits from) and its to-one associations.
 * Computed once per entity type.
 *
 * @author pagecache
 */
final class EntityTags {

	private final List<String> names;

	private final int[] toOneIndexes;

	private final String[] toOneEntityNames;

	private final String[] propertyNames;

	private EntityTags(List<String> names, int[] toOneIndexes, String[] toOneEntityNames, String[] propertyNames) {
		this.names = names;
		this.toOneIndexes = toOneIndexes;
		this.toOneEntityNames = toOneEntityNames;
		this.propertyNames = propertyNames;
	}

	static EntityTags of(EntityPersister persister) {
		List<String> names = new ArrayList<>();
		for (EntityMappingType type = persister; type != null; type = type.getSuperMappingType()) {
			names.add(name(type.getEntityPersister()));
		}
		Type[] types = persister.getPropertyTypes();
		List<Integer> indexes = new ArrayList<>();
		List<String> targets = new ArrayList<>();
		for (int i = 0; i < types.length; i++) {
			if (types[i] instanceof EntityType entityType) {
				indexes.add(i);
				targets.add(entityType.getAssociatedEntityName());
			}
		}
		return new EntityTags(List.copyOf(names), indexes.stream().mapToInt(Integer::intValue).toArray(),
				targets.toArray(String[]::new), persister.getPropertyNames());
	}

	/**
	 * The tags of an entity type without to-one associations.
	 * @param names its own name, then those of the types it inherits from
	 */
	static EntityTags named(String... names) {
		return new EntityTags(List.of(names), new int[0], new String[0], new String[0]);
	}

	/**
	 * The tag name of an entity type: the one {@link PageTags#type(Class)} gives its
	 * class, so that {@code dependsOn} and the programmatic API name it as the listeners
	 * do.
	 */
	static String name(EntityPersister persister) {
		Class<?> javaType = persister.getMappedClass();
		if (javaType != null && !Map.class.isAssignableFrom(javaType)) {
			return PageTags.type(javaType);
		}
		String jpaName = persister.getJpaEntityName();
		return StringUtils.hasText(jpaName) ? jpaName : StringUtils.unqualify(persister.getEntityName());
	}

	/** The entity's own name first, then those of the types it inherits from. */
	List<String> names() {
		return this.names;
	}

	/** The name of the root of the entity's hierarchy. */
	String root() {
		return this.names.get(this.names.size() - 1);
	}

	void addInstance(Collection<String> tags, Object id) {
		for (String name : this.names) {
			tags.add(PageTags.entity(name, id));
		}
	}

	void addChildren(Collection<String> tags, Object id) {
		for (String name : this.names) {
			tags.add(PageTags.childrenOf(name, id));
		}
	}

	/** Whether the entity references other entities through to-one associations. */
	boolean hasToOneTargets() {
		return this.toOneIndexes.length > 0;
	}

	/** The entity names its to-one associations declare. */
	List<String> toOneTargetNames() {
		return List.of(this.toOneEntityNames);
	}

	/**
	 * Add the tags of the attributes an update changed, or the tag of a change that names
	 * no attribute.
	 * @param tags where to add them
	 * @param id the identifier
	 * @param dirty the indexes of the changed attributes; {@code null} when they are not
	 * known
	 */
	void addAttributes(Collection<String> tags, Object id, int @Nullable [] dirty) {
		for (String name : this.names) {
			if (dirty == null) {
				tags.add(PageTags.anyAttributeOf(name, id));
				continue;
			}
			for (int index : dirty) {
				tags.add(PageTags.attribute(name, id, this.propertyNames[index]));
			}
		}
	}

	/**
	 * Add the tags of one attribute.
	 * @param tags where to add them
	 * @param id the identifier
	 * @param attribute the attribute name
	 */
	void addAttribute(Collection<String> tags, Object id, String attribute) {
		for (String name : this.names) {
			tags.add(PageTags.attribute(name, id, attribute));
		}
	}

	void addTypes(Collection<String> tags) {
		tags.addAll(this.names);
	}

	void addAny(Collection<String> tags) {
		for (String name : this.names) {
			tags.add(PageTags.anyOf(name));
		}
	}

	/**
	 * Add the children tags of the entities a state references through to-one
	 * associations.
	 * @param tags where to add them
	 * @param state the entity state
	 * @param previous the state before an update, whose targets are added where the
	 * foreign key changed; {@code null} to add every target of {@code state}
	 */
	void addToOneTargets(Collection<String> tags, @Nullable Object[] state, @Nullable Object @Nullable [] previous,
			EntityModel model, SharedSessionContractImplementor session) {
		for (int i = 0; i < this.toOneIndexes.length; i++) {
			int index = this.toOneIndexes[i];
			EntityReference now = model.reference(state[index], this.toOneEntityNames[i], session);
			if (previous == null) {
				EntityReference.addChildrenTo(tags, now);
				continue;
			}
			EntityReference before = model.reference(previous[index], this.toOneEntityNames[i], session);
			if (!Objects.equals(now, before)) {
				EntityReference.addChildrenTo(tags, now);
				EntityReference.addChildrenTo(tags, before);
			}
		}
	}

}
