package dev.pagecache.sample;

import java.time.Duration;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waits for the purges of a blog behind an edge to settle: the queue of failed purges
 * empty, and the second purge of every write made so far sent. The blog seeds its posts
 * before its edge runs, so both arrive while the first tests could run: a second purge
 * landing in a test would take for a write's purge.
 *
 * @author pagecache
 */
final class EdgeSettling {

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	private EdgeSettling() {
	}

	/**
	 * Wait until nothing the blog wrote before now can still reach the edge.
	 * @param blog the blog
	 * @param lastWriteNanos {@link System#nanoTime()} after the blog's last write
	 * @param repurgeDelay the blog's {@code pagecache.edge.repurge-delay}
	 */
	static void awaitSettled(ConfigurableApplicationContext blog, long lastWriteNanos, Duration repurgeDelay) {
		HealthIndicator edgeHealth = edgeHealth(blog);
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while ((queued(edgeHealth) > 0 || System.nanoTime() - lastWriteNanos < repurgeDelay.toNanos() * 3 / 2)
				&& System.nanoTime() < deadline) {
			pause();
		}
		assertThat(queued(edgeHealth)).as("purges queued while the edge was starting").isZero();
	}

	static HealthIndicator edgeHealth(ConfigurableApplicationContext blog) {
		return blog.getBean("pageCacheEdgeHealthIndicator", HealthIndicator.class);
	}

	/**
	 * The purges waiting for a retry.
	 * @param edgeHealth the blog's edge health indicator
	 * @return how many purges wait
	 */
	static long queued(HealthIndicator edgeHealth) {
		return ((Number) edgeHealth.health().getDetails().get("edgePurgesQueued")).longValue();
	}

	static void pause() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
