package dev.pagecache.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;

/**
 * The shape of a simulated blog workload: how many page reads, how often a write happens,
 * how skewed the traffic is, and how the blog and its page store are set up.
 *
 * @param reads the number of page reads
 * @param readsPerWrite one write (a comment or an edit) per this many reads, on average
 * @param editShare the share of writes that are admin edits of a post; the others are
 * comments
 * @param zipfExponent how strongly reads and writes favour the most popular posts (1 is
 * Zipf's law)
 * @param seed the seed of the operation sequence, the same for every policy
 * @param posts the number of posts the blog is seeded with
 * @param ttl the time to live of pages under the TTL-only policy
 * @param store the page store, {@code memory} or {@code redis}
 * @param groundTruth when the driver renders the pages a write may have changed
 * @param properties more properties of the blog ({@code pagecache.*} among them)
 * @param warmStart whether the measured blog starts as after a deploy: a blog before it
 * ran the same workload with another seed on the same Redis, and it clears the cache (new
 * templates) and waits for refresh-ahead to warm it before the first read
 * @author pagecache
 */
record WorkloadSettings(int reads, int readsPerWrite, double editShare, double zipfExponent, long seed, int posts,
		Duration ttl, String store, GroundTruth groundTruth, Map<String, String> properties, boolean warmStart) {

	WorkloadSettings {
		if (warmStart && !"redis".equals(store)) {
			throw new IllegalArgumentException("workload.warm-start needs workload.store=redis, where the hot list of "
					+ "the blog before the deploy outlives it");
		}
	}

	/**
	 * The settings of the day before a warm start: the same, with another seed.
	 * @return the settings
	 */
	WorkloadSettings yesterday() {
		return new WorkloadSettings(this.reads, this.readsPerWrite, this.editShare, this.zipfExponent, this.seed + 1,
				this.posts, this.ttl, this.store, this.groundTruth, this.properties, false);
	}

	/**
	 * The settings given as {@code workload.*} system properties, with the benchmark's
	 * defaults.
	 * @return the settings
	 */
	static WorkloadSettings fromSystemProperties() {
		return new WorkloadSettings(Integer.getInteger("workload.reads", 10_000),
				Integer.getInteger("workload.reads-per-write", 50),
				Double.parseDouble(System.getProperty("workload.edit-share", "0.2")),
				Double.parseDouble(System.getProperty("workload.zipf-exponent", "1.0")),
				Long.getLong("workload.seed", 1L), Integer.getInteger("workload.posts", 200),
				DurationStyle.detectAndParse(System.getProperty("workload.ttl", "10s")),
				System.getProperty("workload.store", "memory"),
				GroundTruth.valueOf(System.getProperty("workload.ground-truth", "concurrent").toUpperCase(Locale.ROOT)),
				properties(System.getProperty("workload.properties", "")), Boolean.getBoolean("workload.warm-start"));
	}

	/**
	 * Properties written {@code name=value,name=value}.
	 */
	private static Map<String, String> properties(String list) {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String property : list.split(",")) {
			int equals = property.indexOf('=');
			if (equals > 0) {
				properties.put(property.substring(0, equals).trim(), property.substring(equals + 1).trim());
			}
			else if (!property.isBlank()) {
				throw new IllegalArgumentException("workload.properties: '" + property + "' is not name=value");
			}
		}
		return properties;
	}

	/**
	 * When the driver renders, with the cache bypassed, the pages the cache held before a
	 * write, to learn which really changed.
	 */
	enum GroundTruth {

		/**
		 * Right after the write, in parallel with the reads that follow it, which are
		 * classified once the renders are known; the next write waits for them. Readers
		 * find the cache as a write leaves it, with no pause for work in the background
		 * to finish.
		 */
		CONCURRENT,

		/**
		 * After the write and before the next read, which gives work in the background
		 * the renders' time to finish.
		 */
		SYNC

	}

	String describe() {
		return reads + " reads, one write per " + readsPerWrite + " reads (" + Math.round(editShare * 100)
				+ "% admin edits, the rest comments), Zipf exponent " + zipfExponent + ", " + posts + " posts, seed "
				+ seed + ", " + store + " store, TTL-only pages live " + ttl.toMillis() / 1000.0 + " s, ground truth "
				+ groundTruth.name().toLowerCase(Locale.ROOT)
				+ (properties.isEmpty() ? "" : ", blog properties " + properties);
	}

}
