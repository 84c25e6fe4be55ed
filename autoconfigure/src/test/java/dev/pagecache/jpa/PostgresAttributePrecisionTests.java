package dev.pagecache.jpa;

import dev.pagecache.test.WithPostgresServer;

/**
 * The attribute-level precision of {@link AttributePrecisionTests} on a real PostgreSQL.
 */
@WithPostgresServer
class PostgresAttributePrecisionTests extends AttributePrecisionTests {

}
