package dev.pagecache;

import java.beans.Introspector;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * How tags name entities, paths and routes. Entity tags use the entity's name (the simple
 * class name unless the mapping says otherwise): {@code Post} for any change of a post,
 * {@code Post#42} for one post, and {@code Post:*} on pages that showed some post. A
 * class annotated with {@code @jakarta.persistence.Entity(name = "...")} is named by that
 * annotation, as JPA names it.
 *
 * @author pagecache
 */
public final class PageTags {

	private static final String PATH_PREFIX = "path:";

	private static final String ROUTE_PREFIX = "route:";

	private static final String ANY_SUFFIX = ":*";

	private static final String CHILDREN_SUFFIX = ":children";

	private static final String JPA_ENTITY = "jakarta.persistence.Entity";

	private PageTags() {
	}

	/**
	 * The tag of every change of an entity type.
	 * @param entityType the entity class
	 * @return the type tag, such as {@code Post}
	 */
	public static String type(Class<?> entityType) {
		return entityName(entityType);
	}

	/**
	 * The tag of one entity instance.
	 * @param entityType the entity class
	 * @param id the identifier
	 * @return the instance tag, such as {@code Post#42}
	 */
	public static String entity(Class<?> entityType, Object id) {
		return entity(entityName(entityType), id);
	}

	/**
	 * The tag of one entity instance.
	 * @param entityName the entity name
	 * @param id the identifier
	 * @return the instance tag, such as {@code Post#42}
	 */
	public static String entity(String entityName, Object id) {
		Assert.notNull(id, "'id' must not be null");
		return entityName + "#" + id;
	}

	/**
	 * The tag of an entity's children: the entities that reference it through a to-one
	 * association (the comments of a post) and the elements of its collections. Pages
	 * that showed the entity and read its children carry it; a child inserted, deleted or
	 * moved invalidates it.
	 * @param entityType the entity class
	 * @param id the identifier
	 * @return the tag, such as {@code Post#42:children}
	 */
	public static String childrenOf(Class<?> entityType, Object id) {
		return childrenOf(entityName(entityType), id);
	}

	/**
	 * The tag of an entity's children, by entity name.
	 * @param entityName the entity name
	 * @param id the identifier
	 * @return the tag, such as {@code Post#42:children}
	 * @see #childrenOf(Class, Object)
	 */
	public static String childrenOf(String entityName, Object id) {
		return entity(entityName, id) + CHILDREN_SUFFIX;
	}

	/**
	 * The tag of one attribute of an entity, carried instead of the instance tag by pages
	 * that declare which attributes of the type they show
	 * ({@link CachePage#attributes()}), and invalidated by an update that changes the
	 * attribute.
	 * @param entityName the entity name
	 * @param id the identifier
	 * @param attribute the attribute name
	 * @return the tag, such as {@code Post#42.title}
	 */
	public static String attribute(String entityName, Object id, String attribute) {
		return entity(entityName, id) + "." + attribute;
	}

	/**
	 * The tag that any change of an entity invalidates, even one that names no attribute
	 * (a delete, or {@link PageCache#invalidateEntity(Class, Object)}); carried by pages
	 * that show some of its attributes ({@link CachePage#attributes()}).
	 * @param entityName the entity name
	 * @param id the identifier
	 * @return the tag, such as {@code Post#42.*}
	 */
	public static String anyAttributeOf(String entityName, Object id) {
		return attribute(entityName, id, "*");
	}

	/**
	 * Every tag of one entity instance: what
	 * {@link PageCache#invalidateEntity(Class, Object)} drops and
	 * {@link PageCache#pagesShowing(Class, Object)} lists. Pages that showed it carry
	 * {@code Post#42}; pages that show some of its attributes carry {@code Post#42.*}
	 * (with {@code Post#42.title}, ...); pages that read its children carry
	 * {@code Post#42:children}.
	 * @param entityName the entity name
	 * @param id the identifier
	 * @return the tags, such as {@code Post#42}, {@code Post#42.*} and
	 * {@code Post#42:children}
	 */
	public static List<String> ofEntity(String entityName, Object id) {
		return List.of(entity(entityName, id), anyAttributeOf(entityName, id), childrenOf(entityName, id));
	}

	/**
	 * Every tag of an entity type as a whole: what
	 * {@link PageCache#invalidateType(String)} drops. Pages that list or count the type
	 * carry {@code Post}; pages that showed any entity of it carry {@code Post:*}.
	 * @param entityName the entity name
	 * @return the tags, such as {@code Post} and {@code Post:*}
	 */
	public static List<String> ofType(String entityName) {
		return List.of(entityName, anyOf(entityName));
	}

	/**
	 * The children tag that goes with a tag declared by an application, when that tag
	 * names an entity instance ({@code Post#42}): a page that declares an entity depends
	 * on the entity's children as well.
	 * @param tag a declared tag
	 * @return the children tag, or {@code null} when the tag names no entity instance
	 */
	public static @Nullable String childrenOfDeclared(String tag) {
		int hash = tag.indexOf('#');
		if (hash <= 0 || hash == tag.length() - 1 || tag.endsWith(CHILDREN_SUFFIX) || tag.endsWith(ANY_SUFFIX)
				|| tag.startsWith(PATH_PREFIX) || tag.startsWith(ROUTE_PREFIX)) {
			return null;
		}
		return tag + CHILDREN_SUFFIX;
	}

	/**
	 * The tag carried by pages that showed some entity of a type.
	 * @param entityName the entity name
	 * @return the tag, such as {@code Post:*}
	 */
	public static String anyOf(String entityName) {
		return entityName + ANY_SUFFIX;
	}

	/**
	 * The tag carried by pages that showed some entity of a type.
	 * @param entityType the entity class
	 * @return the tag, such as {@code Post:*}
	 */
	public static String anyOf(Class<?> entityType) {
		return anyOf(entityName(entityType));
	}

	/**
	 * The tag every page served at a path carries, whatever its query string.
	 * @param path the path within the application, such as {@code /posts/42}
	 * @return the path tag
	 */
	public static String path(String path) {
		return PATH_PREFIX + path;
	}

	/**
	 * The tag every page of a route carries.
	 * @param pattern the route's URL pattern, such as {@code /posts/{id}}
	 * @return the route tag
	 */
	public static String route(String pattern) {
		return ROUTE_PREFIX + pattern;
	}

	/**
	 * Whether a tag is a {@linkplain #route(String) route tag}.
	 * @param tag the tag
	 * @return {@code true} for a route tag
	 */
	public static boolean isRoute(String tag) {
		return tag.startsWith(ROUTE_PREFIX);
	}

	private static String entityName(Class<?> entityType) {
		Assert.notNull(entityType, "'entityType' must not be null");
		MergedAnnotation<?> entity = MergedAnnotations.from(entityType).get(JPA_ENTITY);
		if (entity.isPresent()) {
			String mapped = entity.getValue("name", String.class).orElse("");
			if (StringUtils.hasText(mapped)) {
				return mapped;
			}
		}
		String name = entityType.getSimpleName();
		return name.isEmpty() ? Introspector.decapitalize(entityType.getName()) : name;
	}

}
