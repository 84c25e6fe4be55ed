package dev.pagecache.redis;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.Assert;

/**
 * How a namespace is split into shards: how many, the namespace of each (its keys' hash
 * tag), and which shard a page belongs to. One shard keeps the namespace as it is (key
 * layout 3 unchanged). With {@code n} shards, shard {@code k}'s namespace is
 * {@code ns:k}, followed by {@code .1}, {@code .2}, ... until its hash tag falls near the
 * middle of the {@code k}-th of {@code n} equal ranges of Redis Cluster's 16384 slots
 * (within an eighth of the range's width): clusters give each primary a contiguous range
 * of slots, so the shards spread over the primaries as evenly as their number allows,
 * whatever the namespace (16 shards over 3 primaries that split the slots evenly: 5, 6
 * and 5). Every instance derives the same names from the namespace and the number of
 * shards.
 *
 * @author pagecache
 */
final class RedisShards {

	/** The shards of a namespace on Redis Cluster unless configured. */
	static final int DEFAULT_CLUSTER_SHARDS = 16;

	/** The most shards of a namespace. */
	static final int MAX_SHARDS = 256;

	private static final int SLOTS = 16384;

	private RedisShards() {
	}

	/**
	 * The number of shards: the configured one, or 16 on Redis Cluster and 1 elsewhere.
	 * @param configured the configured number, if any
	 * @param connectionFactory the store's connection factory
	 * @return the number of shards
	 */
	static int count(@Nullable Integer configured, RedisConnectionFactory connectionFactory) {
		if (configured != null) {
			return configured;
		}
		boolean cluster = connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware();
		return cluster ? DEFAULT_CLUSTER_SHARDS : 1;
	}

	/**
	 * The namespaces of the shards.
	 * @param namespace the namespace
	 * @param shards the number of shards
	 * @return the namespace of each shard, by index
	 */
	static List<String> namespaces(String namespace, int shards) {
		Assert.isTrue(shards >= 1 && shards <= MAX_SHARDS, () -> "'shards' must be between 1 and " + MAX_SHARDS);
		if (shards == 1) {
			return List.of(namespace);
		}
		List<String> namespaces = new ArrayList<>(shards);
		int halfWidth = Math.max(1, SLOTS / (8 * shards));
		for (int k = 0; k < shards; k++) {
			int center = (2 * k + 1) * SLOTS / (2 * shards);
			String candidate = namespace + ":" + k;
			for (int suffix = 1; Math.abs(SlotHash.getSlot(candidate) - center) >= halfWidth; suffix++) {
				candidate = namespace + ":" + k + "." + suffix;
			}
			namespaces.add(candidate);
		}
		return List.copyOf(namespaces);
	}

	/**
	 * The shard of a page: a mix of the key's {@link String#hashCode() hash code}, which
	 * Java defines, so that every instance agrees.
	 * @param key the page key
	 * @param shards the number of shards
	 * @return the shard's index
	 */
	static int of(String key, int shards) {
		int hash = key.hashCode();
		hash ^= hash >>> 16;
		hash *= 0x85ebca6b;
		hash ^= hash >>> 13;
		hash *= 0xc2b2ae35;
		hash ^= hash >>> 16;
		return Integer.remainderUnsigned(hash, shards);
	}

}
