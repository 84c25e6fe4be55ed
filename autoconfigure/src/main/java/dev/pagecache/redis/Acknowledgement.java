package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * What a near cache has applied, as it writes it into
 * {@code {ns}:near-cache:acknowledged} for the writers that wait for it: the invalidation
 * counter's value and the epoch, one a line.
 *
 * @param sequence the counter value of the last invalidation applied
 * @param epoch the epoch it was published with
 * @author pagecache
 */
record Acknowledgement(long sequence, String epoch) {

	/**
	 * Parse an acknowledgement as written by {@link #toBytes()}.
	 * @param value the value read, if any
	 * @return the acknowledgement, or {@code null} if there is none or it is malformed
	 */
	static @Nullable Acknowledgement parse(byte @Nullable [] value) {
		if (value == null) {
			return null;
		}
		String text = new String(value, StandardCharsets.UTF_8);
		int lineBreak = text.indexOf('\n');
		if (lineBreak <= 0) {
			return null;
		}
		try {
			return new Acknowledgement(Long.parseLong(text.substring(0, lineBreak)), text.substring(lineBreak + 1));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	byte[] toBytes() {
		return RedisKeys.bytes(this.sequence + "\n" + this.epoch);
	}

	/**
	 * Whether this acknowledges an invalidation: the same epoch, and a counter value at
	 * least as high.
	 * @param sequence the invalidation's counter value
	 * @param epoch the invalidation's epoch
	 * @return {@code true} if the invalidation is applied
	 */
	boolean covers(long sequence, String epoch) {
		return this.epoch.equals(epoch) && this.sequence >= sequence;
	}

}
