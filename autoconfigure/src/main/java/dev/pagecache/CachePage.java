package dev.pagecache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the whole response of a Spring MVC handler method (or of every handler method of
 * a controller class) in the page store, until its time to live ends or one of its
 * dependencies is invalidated.
 * <p>
 * A cached page is served by {@code PageCacheFilter} without reaching the
 * {@code DispatcherServlet}: no controller, no view, no database query and no HTTP
 * session. Only {@code GET} (and {@code HEAD}, answered from the {@code GET} entry)
 * requests without credentials are cached; see the project's README for every rule.
 *
 * <pre class="code">
 * &#64;GetMapping("/posts/{id}")
 * &#64;CachePage(dependsOn = Category.class, tags = "'Post#' + #id")
 * String post(&#64;PathVariable long id, Model model) { ... }
 * </pre>
 *
 * @author pagecache
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CachePage {

	/**
	 * Upper bound on the life of an entry, as a duration such as {@code "10m"} or
	 * {@code "PT1H"}. Empty for {@code pagecache.default-ttl}.
	 * @return the time to live
	 */
	String ttl() default "";

	/**
	 * How long after its TTL a page may still be served while one request renders it
	 * again, as a duration such as {@code "30s"}; empty (the default) for never. Applies
	 * to expiry only: a page that was invalidated is gone at once. Needs
	 * {@code pagecache.single-flight.enabled} (the default): the request that renders the
	 * page again leads, the others are served the expired page meanwhile
	 * ({@code X-Page-Cache: STALE}).
	 * @return the time an expired page may still be served
	 */
	String staleWhileRevalidate() default "";

	/**
	 * Entity types whose membership the page shows (lists, counts, sidebars): an insert,
	 * update or delete of any entity of these types invalidates the page. Each
	 * contributes its type tag (see {@link PageTags#type(Class)}).
	 * @return the entity types the page depends on
	 */
	Class<?>[] dependsOn() default {};

	/**
	 * SpEL expressions over the method's arguments that yield explicit tags of the page,
	 * for example {@code "'Post#' + #id"}. An expression may yield a single value or a
	 * collection of values. A tag that names an entity instance ({@code Post#42}) also
	 * makes the page depend on the entity's children
	 * ({@link PageTags#childrenOf(String, Object) Post#42:children}): a new comment on
	 * post 42 refreshes the page as an edit of the post does.
	 * @return the tag expressions
	 */
	String[] tags() default {};

	/**
	 * The entity attributes the page shows, as {@code "Type.attribute"} (for example
	 * {@code "Post.title"}), for a page that shows only a few attributes of entities that
	 * change often in others (a list of post titles, while the posts' bodies are edited).
	 * For a type named here, an entity the page loads or names by tag makes it depend on
	 * the listed attributes ({@code Post#42.title}) and on changes that name no attribute
	 * ({@code Post#42.*}: a delete, {@link PageCache#invalidateEntity(Class, Object)})
	 * instead of on every change ({@code Post#42}): an update of the entity that changes
	 * none of the listed attributes leaves the page alone. The entity's children
	 * ({@code Post#42:children}) and type tags are not affected. List every attribute the
	 * page reads, also through derived values (an excerpt computed from the body needs
	 * {@code "Post.body"}); an attribute missing here makes the page stale when it
	 * changes. Attributes are the entity's persistent attributes, associations and
	 * collections by their names.
	 * @return the attributes the page shows, none by default (every attribute counts)
	 */
	String[] attributes() default {};

	/**
	 * Request headers whose values are part of the cache key (for example
	 * {@code Accept-Language}).
	 * @return the header names
	 */
	String[] varyByHeaders() default {};

	/**
	 * Query parameters that are part of the cache key in addition to those the handler
	 * binds with {@code @RequestParam}. Other query parameters are ignored on a hit and
	 * hidden from the handler on a miss.
	 * @return the parameter names
	 */
	String[] varyByParams() default {};

}
