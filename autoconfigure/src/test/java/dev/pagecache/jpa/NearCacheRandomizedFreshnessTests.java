package dev.pagecache.jpa;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.test.RedisServerProcess;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The randomized freshness test with the near cache on, across two instances that share
 * the database and Redis: readers go to either instance, writes go through this test's
 * instance, and the connections that carry invalidations to the near caches are killed
 * ({@code CLIENT KILL TYPE pubsub}) every 200 ms during the run, so that invalidations
 * are lost on the way and the near caches must notice.
 */
@TestPropertySource(properties = { "pagecache.redis.near-cache.enabled=true",
		"pagecache.redis.near-cache.heartbeat-interval=" + NearCacheRandomizedFreshnessTests.HEARTBEAT,
		"pagecache.redis.near-cache.registration-ttl=" + NearCacheRandomizedFreshnessTests.REGISTRATION,
		"spring.datasource.url=" + NearCacheRandomizedFreshnessTests.DATABASE,
		"spring.datasource.generate-unique-name=false" })
class NearCacheRandomizedFreshnessTests extends RandomizedFreshnessTests {

	static final String DATABASE = "jdbc:h2:mem:near-cache-freshness;DB_CLOSE_DELAY=-1";

	/**
	 * Shorter than the default, so that a lost message is noticed sooner and the writes
	 * that wait for a near cache wait less.
	 */
	static final String HEARTBEAT = "50ms";

	static final String REGISTRATION = "200ms";

	private static final long KILL_INTERVAL_MILLIS = 200;

	static RedisServerProcess redis;

	private static ConfigurableApplicationContext second;

	@Autowired
	ApplicationContext first;

	private final AtomicBoolean running = new AtomicBoolean();

	private final AtomicInteger kills = new AtomicInteger();

	private Thread killer;

	@BeforeEach
	void startSecondInstanceAndKiller() {
		if (second == null) {
			second = new SpringApplicationBuilder(BlogTestApplication.class)
				.properties("server.port=0", "spring.datasource.url=" + DATABASE,
						"spring.datasource.generate-unique-name=false", "spring.jpa.hibernate.ddl-auto=none",
						"spring.data.redis.host=" + redis.getHost(), "spring.data.redis.port=" + redis.getPort(),
						"pagecache.redis.namespace=blog", "pagecache.redis.near-cache.enabled=true",
						"pagecache.redis.near-cache.heartbeat-interval=" + HEARTBEAT,
						"pagecache.redis.near-cache.registration-ttl=" + REGISTRATION)
				.run();
		}
		this.running.set(true);
		this.killer = new Thread(this::killSubscriptions, "pubsub-killer");
		this.killer.start();
	}

	@AfterEach
	void stopKillerAndCheckTheNearCaches() throws InterruptedException {
		this.running.set(false);
		this.killer.join();
		long firstHits = RedisTestStores.nearCacheHits(this.first);
		long secondHits = RedisTestStores.nearCacheHits(second);
		assertThat(this.kills.get()).as("faults").isPositive();
		assertThat(firstHits + secondHits).as("pages served by the near caches").isPositive();
		System.out.println(getClass().getSimpleName() + ": " + describeFaults(this.kills.get()) + "; near cache hits "
				+ firstHits + " and " + secondHits + ", flushes " + RedisTestStores.nearCacheFlushes(this.first)
				+ " and " + RedisTestStores.nearCacheFlushes(second));
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

	private void killSubscriptions() {
		while (this.running.get()) {
			try {
				Thread.sleep(faultInterval().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (fault()) {
				this.kills.incrementAndGet();
			}
		}
	}

	/**
	 * What goes wrong every {@link #faultInterval()} during the run: the subscriptions of
	 * the near caches are killed.
	 * @return whether anything went wrong
	 */
	protected boolean fault() {
		String killed = redis.command("CLIENT", "KILL", "TYPE", "pubsub");
		return killed.startsWith(":") && !killed.startsWith(":0");
	}

	/**
	 * How often {@link #fault()} runs.
	 * @return the interval
	 */
	protected Duration faultInterval() {
		return Duration.ofMillis(KILL_INTERVAL_MILLIS);
	}

	/**
	 * Describe the faults of the run for its summary line.
	 * @param faults how many times {@link #fault()} did something
	 * @return the description
	 */
	protected String describeFaults(int faults) {
		return faults + " subscriptions killed";
	}

}
