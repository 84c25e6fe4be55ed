package dev.pagecache;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The programmatic API of the page cache, for writes the cache cannot see and for
 * dependencies it cannot capture. Available as a bean when pagecache is enabled.
 *
 * @author pagecache
 */
public interface PageCache {

	/**
	 * Drop every page that carries one of the tags, on every instance sharing the store.
	 * @param tags the tags, such as {@code Post#42}
	 */
	void invalidateTags(Collection<String> tags);

	/**
	 * Drop every page that carries one of the tags.
	 * @param tags the tags
	 */
	default void invalidateTags(String... tags) {
		invalidateTags(List.of(tags));
	}

	/**
	 * Drop every page of one entity instance: those that showed it ({@code Post#42}),
	 * some of its attributes ({@code Post#42.*}) or its children
	 * ({@code Post#42:children}).
	 * @param entityType the entity class
	 * @param id the identifier
	 */
	default void invalidateEntity(Class<?> entityType, Object id) {
		invalidateTags(PageTags.ofEntity(PageTags.type(entityType), id));
	}

	/**
	 * Drop every page that depends on an entity type as a whole: pages that list or count
	 * it ({@code dependsOn}, tag {@code Post}) and pages that showed any entity of it
	 * (tag {@code Post:*}). For writes that change many rows at once without JPA seeing
	 * each one, such as SQL run through JDBC.
	 * @param entityType the entity class
	 */
	default void invalidateType(Class<?> entityType) {
		invalidateType(PageTags.type(entityType));
	}

	/**
	 * Drop every page that depends on an entity type as a whole, by entity name.
	 * @param entityName the entity name, such as {@code Post}
	 * @see #invalidateType(Class)
	 */
	default void invalidateType(String entityName) {
		invalidateTags(PageTags.ofType(entityName));
	}

	/**
	 * Drop every page served at a path, whatever its query string or host.
	 * @param path the path within the application, such as {@code /posts/42}
	 */
	default void invalidatePath(String path) {
		invalidateTags(PageTags.path(path));
	}

	/**
	 * Drop every page of a route.
	 * @param pattern the URL pattern of a {@link CachePage} handler, such as
	 * {@code /posts/{id}}
	 */
	default void invalidateRoute(String pattern) {
		invalidateTags(PageTags.route(pattern));
	}

	/**
	 * Drop every page.
	 */
	void clear();

	/**
	 * Add dependencies to the page the current thread is rendering, for data the cache
	 * cannot see being read (counts, projections, native queries). Does nothing outside a
	 * cacheable render.
	 * @param tags the tags the page depends on
	 */
	void dependOn(String... tags);

	/**
	 * The keys of the pages that carry a tag right now.
	 * @param tag the tag, such as {@code Post#42}
	 * @return the page keys, such as {@code GET http://localhost:8080/posts/42}
	 */
	List<String> pagesTagged(String tag);

	/**
	 * The keys of the pages that show one entity instance right now: those that
	 * {@link #invalidateEntity(Class, Object)} would drop, because they showed it
	 * ({@code Post#42}), some of its attributes ({@code Post#42.*}) or its children
	 * ({@code Post#42:children}); pages that depend on its whole type are not among them.
	 * @param entityType the entity class
	 * @param id the identifier
	 * @return the page keys, each once
	 */
	default List<String> pagesShowing(Class<?> entityType, Object id) {
		Set<String> keys = new LinkedHashSet<>();
		for (String tag : PageTags.ofEntity(PageTags.type(entityType), id)) {
			keys.addAll(pagesTagged(tag));
		}
		return List.copyOf(keys);
	}

}
