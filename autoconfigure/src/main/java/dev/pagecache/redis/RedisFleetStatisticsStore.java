package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.pagecache.store.StatisticsPageStore.FleetStatisticsStore;

import org.springframework.data.redis.connection.ReturnType;

/**
 * The fleet's statistics as one Redis hash, {@code {ns}:stats}, through the page store's
 * connection and circuit breaker. See {@link RedisPageStore} for the layout.
 *
 * @author pagecache
 */
final class RedisFleetStatisticsStore implements FleetStatisticsStore {

	private static final LuaScript ADD = LuaScript.load("stats");

	private final GuardedRedis redis;

	private final RedisKeys keys;

	private final byte[] ttl;

	RedisFleetStatisticsStore(GuardedRedis redis, RedisKeys keys, byte[] ttl) {
		this.redis = redis;
		this.keys = keys;
		this.ttl = ttl;
	}

	@Override
	public void add(Map<String, Long> deltas) {
		if (deltas.isEmpty()) {
			return;
		}
		byte[][] keysAndArgs = new byte[2 + 2 * deltas.size()][];
		int i = 0;
		keysAndArgs[i++] = this.keys.statistics();
		keysAndArgs[i++] = this.ttl;
		for (Map.Entry<String, Long> delta : deltas.entrySet()) {
			keysAndArgs[i++] = RedisKeys.bytes(delta.getKey());
			keysAndArgs[i++] = RedisKeys.bytes(Long.toString(delta.getValue()));
		}
		this.redis.execute("addStatistics", (connection) -> ADD.run(connection, ReturnType.INTEGER, 1, keysAndArgs));
	}

	@Override
	public Map<String, Long> read() {
		Map<byte[], byte[]> hash = this.redis.execute("readStatistics",
				(connection) -> connection.hashCommands().hGetAll(this.keys.statistics()));
		Map<String, Long> statistics = new LinkedHashMap<>();
		if (hash != null) {
			hash.forEach((field, value) -> {
				try {
					statistics.put(new String(field, StandardCharsets.UTF_8),
							Long.parseLong(new String(value, StandardCharsets.US_ASCII)));
				}
				catch (NumberFormatException ex) {
					// not one of ours; statistics are only ever integers
				}
			});
		}
		return statistics;
	}

}
