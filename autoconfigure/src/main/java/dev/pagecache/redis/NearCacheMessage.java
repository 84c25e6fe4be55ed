package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A message on the near caches' channel, {@code {ns}:near-cache}, as the scripts publish
 * it: a type letter and its fields, one a line. {@link #parse(byte[])} is the only reader
 * of the wire format; it checks the field count and each field, and rejects anything
 * else, which the near cache must treat as a lost message.
 *
 * @author pagecache
 */
sealed interface NearCacheMessage {

	/**
	 * Parse a message.
	 * @param body the message as published
	 * @return the message
	 * @throws IllegalArgumentException if the message is malformed: an unknown type, a
	 * wrong number of fields, a counter or number that is not a non-negative decimal, or
	 * an epoch of the wrong length
	 */
	static NearCacheMessage parse(byte[] body) {
		String[] fields = new String(body, StandardCharsets.UTF_8).split("\n", -1);
		switch (fields[0]) {
			case "i":
				atLeast(fields, 3);
				return new Invalidation(sequence(fields[1]), epochOrEmpty(fields[2]),
						List.of(Arrays.copyOfRange(fields, 3, fields.length)));
			case "c":
				exactly(fields, 3);
				return new Clear(sequence(fields[1]), epoch(fields[2]));
			case "p":
				exactly(fields, 5);
				if (fields[1].isEmpty()) {
					throw new IllegalArgumentException("Ping without an instance name");
				}
				return new Ping(fields[1], sequence(fields[2]), fields[3].isEmpty() ? -1 : sequence(fields[3]),
						epochOrEmpty(fields[4]));
			default:
				throw new IllegalArgumentException("Unknown near cache message type '" + fields[0] + "'");
		}
	}

	private static void atLeast(String[] fields, int count) {
		if (fields.length < count) {
			throw new IllegalArgumentException(
					"Near cache message '" + fields[0] + "' has " + fields.length + " fields, not at least " + count);
		}
	}

	private static void exactly(String[] fields, int count) {
		if (fields.length != count) {
			throw new IllegalArgumentException(
					"Near cache message '" + fields[0] + "' has " + fields.length + " fields, not " + count);
		}
	}

	private static long sequence(String field) {
		if (field.isEmpty() || field.length() > 18 || !field.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new IllegalArgumentException("Not a non-negative number: '" + field + "'");
		}
		return Long.parseLong(field);
	}

	private static String epoch(String field) {
		if (field.length() != PageValue.EPOCH_LENGTH) {
			throw new IllegalArgumentException("Not an epoch: '" + field + "'");
		}
		return field;
	}

	private static String epochOrEmpty(String field) {
		return field.isEmpty() ? field : epoch(field);
	}

	/**
	 * Tags were invalidated: {@code i}, the new counter value, the epoch (empty when
	 * Redis had none) and the tags.
	 *
	 * @param sequence the counter value of this invalidation
	 * @param epoch the epoch, or empty
	 * @param tags the tags
	 */
	record Invalidation(long sequence, String epoch, List<String> tags) implements NearCacheMessage {

	}

	/**
	 * Everything was dropped, or the epoch was created: {@code c}, the counter value and
	 * the new epoch.
	 *
	 * @param sequence the counter value
	 * @param epoch the new epoch
	 */
	record Clear(long sequence, String epoch) implements NearCacheMessage {

	}

	/**
	 * A heartbeat's ping, published behind every invalidation before it: {@code p}, the
	 * name of the near cache that sent it, its number, and the counter value and epoch at
	 * that moment (both empty when Redis has no epoch).
	 *
	 * @param instance the name of the near cache that sent it
	 * @param number the ping's number
	 * @param sequence the counter value, or -1 when missing
	 * @param epoch the epoch, or empty when missing
	 */
	record Ping(String instance, long number, long sequence, String epoch) implements NearCacheMessage {

		/**
		 * Whether Redis had an epoch and a counter: when it has not, it lost its data or
		 * was never used, and nothing held can be trusted.
		 * @return {@code true} if the ping carries both
		 */
		boolean hasState() {
			return this.sequence >= 0 && !this.epoch.isEmpty();
		}

	}

}
