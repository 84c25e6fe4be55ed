package dev.pagecache.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link RedisOutageHttpTests} with the near cache on: a page it held is served from
 * memory at most its registration (1 s) after Redis was killed or paused, then never
 * until Redis is back; requests stay quick and caching resumes.
 *
 * @author pagecache
 */
@TestPropertySource(properties = "pagecache.redis.near-cache.enabled=true")
class RedisOutageNearCacheHttpTests extends RedisOutageHttpTests {

}
