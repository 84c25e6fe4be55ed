/**
 * The JPA (Hibernate) integration: pages depend on the entities they load, and committed
 * writes invalidate exactly the pages that depend on what they changed.
 *
 * <h2>How tags are derived</h2> An entity type is named as
 * {@link dev.pagecache.PageTags#type(Class)} names its class: the simple class name, or
 * the {@code name} of its {@code @Entity}. Where entities inherit from other entities,
 * every tag below is given under the entity's own name and under the name of each type it
 * inherits from, so that {@code Post#42} and {@code Content#42} both name a post that is
 * a content.
 * <ul>
 * <li><b>Loads</b> (while a page renders): every entity loaded, by a query, {@code find},
 * a lazy association or a proxy being initialised, from the database, the persistence
 * context or the second-level cache, adds its instance tag {@code Post#42} and
 * {@code Post:*} ("showed some post") to the page. An entity's <em>children</em> are the
 * entities that reference it through a to-one association (the comments of a post) and
 * the elements of its collections; they have their own tag, {@code Post#42:children}. A
 * page carries it when it loaded post 42 and read children of posts (a statement named
 * the comments' table or a collection table of posts, even if it returned no row), when
 * it loaded a child of post 42, or when it initialised a collection of post 42 (which
 * adds the owner's instance tag too). Uninitialised proxies add nothing.
 * {@code @CachePage(dependsOn = Post.class)} adds the type tag {@code Post};
 * {@code @CachePage(tags = ...)} adds any tag, and for a tag that names an entity
 * ({@code Post#42}) its children tag as well; {@code PageCache.dependOn(...)} adds tags
 * as given.</li>
 * <li><b>Entity writes</b>, sent once the transaction has committed: an inserted, updated
 * or deleted entity invalidates its instance tag and its type tag. An insert or a delete
 * also invalidates the children tags of the entities it references through to-one
 * associations; an update does so only for associations whose foreign key changed, with
 * the old and the new entity. So a new comment on post 7 refreshes the pages that showed
 * post 7 with its comments (or their count), and not those that only listed post 7. A
 * collection recreated, updated or removed invalidates its owner's instance and children
 * tags and, for a collection its owner writes (not {@code mappedBy}) of entities, the
 * instance tags of the elements that entered or left it.</li>
 * <li><b>Bulk statements</b> (JPQL, criteria or native {@code executeUpdate} through
 * Hibernate) invalidate, for each entity type stored in a table they write and each of
 * its subtypes, the type tag {@code T} and {@code T:*}, and the type tags of the types it
 * inherits from; for a collection table, those of its owner and element types.
 * {@code PageCache.invalidateType(...)} does the same for writes Hibernate does not
 * see.</li>
 * </ul>
 * Identifiers are written with {@code toString()}. All tags of one transaction go to the
 * store in one call, after the commit and before it returns, and only when it succeeded:
 * a rolled-back transaction invalidates nothing. A store that cannot be reached does not
 * fail the transaction: the failure is logged and the store empties the cache once it is
 * back.
 * <p>
 * Not seen: SQL run outside Hibernate (JDBC), the bulk statements of a
 * {@code StatelessSession} and, when the application builds its entity manager factory
 * itself without
 * {@link dev.pagecache.jpa.HibernatePageCacheIntegration#statementInspector(Object)}, all
 * bulk statements and the reads of children (every page that loads an entity then depends
 * on its children); to-one associations inside embeddables. For those, use
 * {@code PageCache.invalidateType} or {@code invalidateEntity}.
 */
@NullMarked
package dev.pagecache.jpa;

import org.jspecify.annotations.NullMarked;
