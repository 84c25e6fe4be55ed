package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.FailoverReads.Blog;
import dev.pagecache.jpa.FailoverReads.Tally;
import dev.pagecache.jpa.FailoverReads.WindowReader;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisClusterGroup;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static dev.pagecache.jpa.FailoverReads.comment;
import static dev.pagecache.jpa.FailoverReads.pastTheCache;
import static dev.pagecache.jpa.FailoverReads.readUntilHit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two blog instances on a Redis Cluster of three primaries and three replicas, sharing
 * the database, the namespace split into the default 16 shards, near caches on: a comment
 * posted just before the primary that holds one of its pages dies shows on every page of
 * both instances after the failover, whatever the replica had received (invariant F3 on a
 * cluster, issue 16).
 * <p>
 * Each round makes every page a hit on both instances and waits until the primary's
 * replica has the entries, cuts the replica's link (all rounds but the last, which just
 * kills), posts the comment through the first instance, kills the primary, reads pages of
 * both instances at random until the cluster is ok again, then reads every page of both
 * until it is a hit. Every read is compared with a render past the cache right after it
 * ({@link FailoverReads}). Each round kills another of the three original primaries,
 * whose replica takes over.
 */
@ExpectedLogs(value = { "dev.pagecache.web.PageCacheFilter", "dev.pagecache.redis", "io.lettuce" },
		because = "a primary of the Redis Cluster is killed in every round")
class ClusterFailoverFreshnessTests {

	private static final int ROUNDS = 3;

	private static final String NAMESPACE = "cluster-failover";

	private static final String DATABASE = "jdbc:h2:mem:cluster-failover-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private static RedisClusterGroup cluster;

	private static final List<Blog> blogs = new ArrayList<>();

	@BeforeAll
	static void startClusterAndBlogs() {
		cluster = RedisClusterGroup.start();
		blogs.add(startBlog("create"));
		blogs.add(startBlog("none"));
	}

	@AfterAll
	static void stopEverything() {
		blogs.forEach((blog) -> blog.context().close());
		blogs.clear();
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void commentPostedJustBeforeThePrimaryOfItsPageDiesShowsOnEveryPageOfBothInstancesAfterTheFailover() {
		Blog writer = blogs.get(0);
		Fixture fixture = writer.context().getBean(BlogService.class).reset();
		writer.context().getBean(PageCache.class).clear();
		BlogPages blogPages = new BlogPages(writer.port(), fixture);
		List<String> pages = blogPages.all();
		Tally tally = new Tally("ClusterFailoverFreshnessTests");
		Set<Integer> withoutReplica = new HashSet<>();
		for (int round = 1; round <= ROUNDS; round++) {
			for (Blog blog : blogs) {
				pages.forEach((page) -> readUntilHit(blog, page, new Tally("warming")));
			}
			Victim victim = victim(writer, fixture, withoutReplica);
			RedisServerProcess primary = cluster.primaryOf(victim.slot());
			assertThat(primary.command("WAIT", "1", "5000")).as("the replica has every page").isEqualTo(":1");
			if (round < ROUNDS) {
				cluster.cutReplicaLinkOf(victim.slot());
			}
			String text = "comment of round " + round + " on post " + victim.post();
			comment(writer, blogPages.post(victim.post()), text);
			long killed = System.nanoTime();
			cluster.killPrimaryOf(victim.slot());
			withoutReplica.add(primary.getPort());
			cluster.resumeReplicas();
			WindowReader window = new WindowReader(blogs, pages, tally, new Random(round));
			window.start();
			try {
				cluster.awaitHealthy();
				tally.promoted(System.nanoTime() - killed);
			}
			finally {
				window.finish();
			}
			tally.reconnected(System.nanoTime() - killed);
			withoutReplica.add(cluster.primaryOf(victim.slot()).getPort());
			assertThat(pastTheCache(writer, blogPages.post(victim.post()))).as("past the cache").contains(text);
			for (Blog blog : blogs) {
				pages.forEach((page) -> readUntilHit(blog, page, tally));
			}
		}
		tally.print("two instances, 16 shards, near caches on");
		tally.assertFreshAndCachingAgain();
	}

	/**
	 * A post, and the slot of the shard of one of its pages, served by a primary that
	 * still has a replica.
	 */
	private static Victim victim(Blog writer, Fixture fixture, Set<Integer> withoutReplica) {
		PageCache pageCache = writer.context().getBean(PageCache.class);
		for (int post = 1; post <= 4; post++) {
			for (String key : pageCache.pagesTagged("Post#" + fixture.post(post))) {
				int slot = RedisTestStores.clusterSlotOfPage(NAMESPACE, key);
				if (!withoutReplica.contains(cluster.primaryOf(slot).getPort())) {
					return new Victim(post, slot);
				}
			}
		}
		throw new IllegalStateException("No page of a post lives on a primary with a replica");
	}

	/**
	 * Start an instance of the blog on the cluster, without Hibernate's second-level
	 * cache (closing it would close the JVM's JCache caches under other tests' contexts).
	 */
	private static Blog startBlog(String ddl) {
		return Blog.of(new SpringApplicationBuilder(BlogTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.datasource.url=" + DATABASE,
					"spring.datasource.generate-unique-name=false", "spring.jpa.hibernate.ddl-auto=" + ddl,
					"spring.data.redis.cluster.nodes=" + cluster.getNodes(), "pagecache.redis.namespace=" + NAMESPACE,
					"spring.jpa.properties.hibernate.cache.use_second_level_cache=false")
			.run());
	}

	private record Victim(int post, int slot) {

	}

}
