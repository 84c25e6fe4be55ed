package dev.pagecache.jpa;

import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.Post;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The precision tests again with every entity in Hibernate's second-level cache (JCache,
 * read-write): an entity that {@code find} or a proxy takes from that cache fires no
 * {@code POST_LOAD}, yet still becomes a dependency, and the counts of dropped pages stay
 * the same.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.namespace=blog-l2", SecondLevelCachePrecisionTests.SHARED_CACHE_MODE,
				SecondLevelCachePrecisionTests.REGION_FACTORY, SecondLevelCachePrecisionTests.STRATEGY,
				SecondLevelCachePrecisionTests.MISSING_CACHES })
class SecondLevelCachePrecisionTests extends BlogInvalidationPrecisionTests {

	static final String SHARED_CACHE_MODE = "spring.jpa.properties.jakarta.persistence.sharedCache.mode=ALL";

	static final String REGION_FACTORY = "spring.jpa.properties.hibernate.cache.region.factory_class=jcache";

	static final String STRATEGY = "spring.jpa.properties.hibernate.cache.default_cache_concurrency_strategy=read-write";

	static final String MISSING_CACHES = "spring.jpa.properties.hibernate.javax.cache.missing_cache_strategy=create";

	@Autowired
	EntityManagerFactory entityManagerFactory;

	@Test
	void pagesAreRenderedFromTheSecondLevelCache() {
		assertThat(this.entityManagerFactory.getCache().contains(Post.class, this.fixture.post(1))).isTrue();
		assertThat(this.pageCache.pagesTagged("Post#" + this.fixture.post(1))).hasSize(2);
	}

}
