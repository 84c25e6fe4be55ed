package dev.pagecache.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link RedisFaultsUnderLoadTests} with the near cache on: the same faults under the
 * same load, with the same bounds (every request answered 200, none slower than the
 * command timeout plus the margin and the JVM's stalls, no stale page of the watched page
 * after its invalidation, caching resumes), while most hits come from memory. A Redis
 * restarted empty is a new epoch that the near cache must notice. The count of store
 * commands leaves out the near cache's heartbeats (one script per heartbeat interval,
 * outside the circuit breaker) and allows its acknowledgements; the near cache must have
 * served pages.
 *
 * @author pagecache
 */
@TestPropertySource(properties = "pagecache.redis.near-cache.enabled=true")
class RedisFaultsUnderLoadNearCacheTests extends RedisFaultsUnderLoadTests {

}
