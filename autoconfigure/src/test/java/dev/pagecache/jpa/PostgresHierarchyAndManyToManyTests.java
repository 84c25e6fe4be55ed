package dev.pagecache.jpa;

import dev.pagecache.test.WithPostgresServer;

/**
 * The entity hierarchies and many-to-many associations of
 * {@link HierarchyAndManyToManyTests} on a real PostgreSQL.
 */
@WithPostgresServer
class PostgresHierarchyAndManyToManyTests extends HierarchyAndManyToManyTests {

}
