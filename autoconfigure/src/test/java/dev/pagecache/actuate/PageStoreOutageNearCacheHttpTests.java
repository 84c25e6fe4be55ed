package dev.pagecache.actuate;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link PageStoreOutageHttpTests} with the near cache on: the page it held is served
 * from memory at most its registration after Redis is stopped, then bypasses the cache
 * like every page; health, endpoint and caching recover as with it off.
 *
 * @author pagecache
 */
@TestPropertySource(properties = "pagecache.redis.near-cache.enabled=true")
class PageStoreOutageNearCacheHttpTests extends PageStoreOutageHttpTests {

}
