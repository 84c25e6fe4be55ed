package dev.pagecache.jpa;

import dev.pagecache.test.WithPostgresServer;

/**
 * The precision tests of {@link BlogInvalidationPrecisionTests} on a real PostgreSQL:
 * each kind of write drops exactly the pages that show what it changed.
 */
@WithPostgresServer
class PostgresBlogInvalidationPrecisionTests extends BlogInvalidationPrecisionTests {

}
