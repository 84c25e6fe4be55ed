package dev.pagecache.test;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How many times a Redis server has run each command, from {@code INFO commandstats}.
 * Commands that Lua scripts call count too, so the difference of two readings tells how
 * much work happened in between, scripts included. Each reading is itself one
 * {@code INFO} command, counted by the next reading.
 *
 * @param calls the calls by command name in lower case, such as {@code exists} or
 * {@code evalsha}
 * @author pagecache
 */
public record RedisCommandCalls(Map<String, Long> calls) {

	private static final String PREFIX = "cmdstat_";

	public RedisCommandCalls {
		calls = Map.copyOf(calls);
	}

	/**
	 * Read the counts of a server.
	 * @param redis the server
	 * @return the counts
	 */
	public static RedisCommandCalls of(RedisServerProcess redis) {
		Map<String, Long> calls = new HashMap<>();
		for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
			if (line.startsWith(PREFIX)) {
				int colon = line.indexOf(':');
				String name = line.substring(PREFIX.length(), colon).toLowerCase(Locale.ROOT);
				calls.put(name, Long.parseLong(field(line.substring(colon + 1), "calls")));
			}
		}
		return new RedisCommandCalls(calls);
	}

	private static String field(String fields, String name) {
		for (String field : fields.split(",")) {
			if (field.startsWith(name + "=")) {
				return field.substring(name.length() + 1);
			}
		}
		throw new IllegalStateException("No " + name + " in " + fields);
	}

	/**
	 * The calls made since an earlier reading.
	 * @param earlier the earlier reading
	 * @return the calls of each command in between
	 */
	public RedisCommandCalls since(RedisCommandCalls earlier) {
		Map<String, Long> delta = new HashMap<>();
		this.calls.forEach((name, count) -> {
			long difference = count - earlier.of(name);
			if (difference != 0) {
				delta.put(name, difference);
			}
		});
		return new RedisCommandCalls(delta);
	}

	/**
	 * The calls of one command.
	 * @param command the command, such as {@code exists}
	 * @return its calls
	 */
	public long of(String command) {
		return this.calls.getOrDefault(command.toLowerCase(Locale.ROOT), 0L);
	}

	/**
	 * The calls of all commands.
	 * @return their sum
	 */
	public long total() {
		return this.calls.values().stream().mapToLong(Long::longValue).sum();
	}

}
