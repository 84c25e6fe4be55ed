package dev.pagecache.jpa;

import dev.pagecache.jpa.blog.BlogTestApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The randomized freshness test again with every entity in Hibernate's second-level
 * cache: the invalidations of a transaction are sent after Hibernate has updated that
 * cache, so a render that follows them cannot read an entity the transaction made stale.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.namespace=blog-l2", "pagecache.refresh-ahead.enabled=true",
				SecondLevelCachePrecisionTests.SHARED_CACHE_MODE, SecondLevelCachePrecisionTests.REGION_FACTORY,
				SecondLevelCachePrecisionTests.STRATEGY, SecondLevelCachePrecisionTests.MISSING_CACHES })
class SecondLevelCacheRandomizedFreshnessTests extends RandomizedFreshnessTests {

	/**
	 * No bulk updates here: with the second-level cache, Hibernate may put a comment read
	 * before a bulk update back into the cache after the update evicted it, and a later
	 * move of that comment then writes the old text back to the database (every column is
	 * updated). The database itself then loses the bulk update, whatever the page cache
	 * does; the variant with the second-level cache off keeps them.
	 */
	@Override
	protected boolean bulkUpdates() {
		return false;
	}

}
