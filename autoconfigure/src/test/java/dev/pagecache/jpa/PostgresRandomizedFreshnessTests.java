package dev.pagecache.jpa;

import dev.pagecache.test.WithPostgresServer;

/**
 * The randomized freshness test on a real PostgreSQL (READ COMMITTED, as H2's default):
 * zero stale reads.
 */
@WithPostgresServer
class PostgresRandomizedFreshnessTests extends RandomizedFreshnessTests {

}
