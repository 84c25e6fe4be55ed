package dev.pagecache.jpa;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.test.RedisClusterGroup;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The randomized freshness test on a real Redis Cluster of three primaries and three
 * replicas, the namespace split into the default number of shards, across two instances
 * that share the database and the cluster, with their near caches: readers go to either
 * instance, writes go through this test's instance. The cluster runs until the JVM exits;
 * the test's context is closed after the class, so that nothing talks to the cluster
 * after it.
 */
@TestPropertySource(properties = { "spring.datasource.url=" + ClusterRandomizedFreshnessTests.DATABASE,
		"spring.datasource.generate-unique-name=false" })
@DirtiesContext
class ClusterRandomizedFreshnessTests extends RandomizedFreshnessTests {

	static final String DATABASE = "jdbc:h2:mem:cluster-freshness;DB_CLOSE_DELAY=-1";

	private static RedisClusterGroup cluster;

	private static ConfigurableApplicationContext second;

	@Autowired
	ApplicationContext first;

	@DynamicPropertySource
	static void clusterNodes(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", () -> cluster().getNodes());
	}

	private static synchronized RedisClusterGroup cluster() {
		if (cluster == null) {
			cluster = RedisClusterGroup.start();
		}
		return cluster;
	}

	@BeforeEach
	void startSecondInstance() {
		if (second == null) {
			second = new SpringApplicationBuilder(BlogTestApplication.class)
				.properties("server.port=0", "spring.datasource.url=" + DATABASE,
						"spring.datasource.generate-unique-name=false", "spring.jpa.hibernate.ddl-auto=none",
						"spring.data.redis.cluster.nodes=" + cluster().getNodes(), "pagecache.redis.namespace=blog",
						"pagecache.refresh-ahead.enabled=true")
				.run();
		}
	}

	@AfterEach
	void checkTheNearCaches() {
		long firstHits = RedisTestStores.nearCacheHits(this.first);
		long secondHits = RedisTestStores.nearCacheHits(second);
		assertThat(firstHits + secondHits).as("pages served by the near caches").isPositive();
		System.out.println(getClass().getSimpleName() + ": near cache hits " + firstHits + " and " + secondHits);
	}

	@AfterAll
	static void stopSecondInstance() {
		if (second != null) {
			second.close();
			second = null;
		}
	}

	@Override
	protected List<Integer> ports() {
		return List.of(this.port, ((WebServerApplicationContext) second).getWebServer().getPort());
	}

}
