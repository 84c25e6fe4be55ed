package dev.pagecache.redis;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;

/**
 * The value of a page in Redis: the format version (one byte), the epoch it was stored in
 * ({@value #EPOCH_LENGTH} base64url characters), its expiry in epoch milliseconds on the
 * writer's clock (8 bytes, big-endian), the counter value its render started from (8
 * bytes, big-endian) and the {@linkplain PageEntryCodec encoded entry}. A value of
 * another version, of another epoch or that does not decode is no page: a miss.
 * <p>
 * Version 3 (this one) added the counter value, against which a lookup checks the page's
 * tags when some pages may be outside their tags' indexes. Version 2 added the version
 * byte; version 1 values (starting with the epoch) live under the keys of layout version
 * 1, which are never read.
 *
 * @author pagecache
 */
final class PageValue {

	static final byte VERSION = 3;

	static final int EPOCH_LENGTH = 16;

	/** Where the epoch starts: after the version byte. */
	static final int EPOCH_OFFSET = 1;

	private static final int EXPIRY_OFFSET = EPOCH_OFFSET + EPOCH_LENGTH;

	private static final int SEQUENCE_OFFSET = EXPIRY_OFFSET + Long.BYTES;

	/** Where the encoded entry starts. */
	static final int HEADER_LENGTH = SEQUENCE_OFFSET + Long.BYTES;

	private static final SecureRandom RANDOM = new SecureRandom();

	private PageValue() {
	}

	/**
	 * A new random epoch.
	 * @return {@value #EPOCH_LENGTH} base64url characters
	 */
	static byte[] newEpoch() {
		byte[] bytes = new byte[EPOCH_LENGTH * 3 / 4];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encode(bytes);
	}

	/**
	 * Whether a value read as the epoch can be one.
	 * @param epoch the value
	 * @return {@code true} if it has the epoch's length
	 */
	static boolean isEpoch(String epoch) {
		return RedisKeys.bytes(epoch).length == EPOCH_LENGTH;
	}

	static byte[] encode(String epoch, long expiresAt, long sequence, PageEntry entry) {
		byte[] epochBytes = RedisKeys.bytes(epoch);
		if (epochBytes.length != EPOCH_LENGTH) {
			throw new IllegalArgumentException("An epoch has " + EPOCH_LENGTH + " characters: " + epoch);
		}
		byte[] value = PageEntryCodec.encode(entry, HEADER_LENGTH);
		ByteBuffer.wrap(value).put(VERSION).put(epochBytes).putLong(expiresAt).putLong(sequence);
		return value;
	}

	/**
	 * The entry of a value, if it is of this version and epoch.
	 * @param value the value read, if any
	 * @param epoch the current epoch
	 * @return the entry, or {@code null}
	 */
	static @Nullable PageEntry decode(byte @Nullable [] value, byte[] epoch) {
		if (value == null || value.length < HEADER_LENGTH || value[0] != VERSION || !hasEpoch(value, epoch)) {
			return null;
		}
		return PageEntryCodec.decode(value, HEADER_LENGTH);
	}

	/**
	 * Whether a value was stored in an epoch, whatever its version after the first.
	 * @param value the value
	 * @param epoch the epoch
	 * @return {@code true} if the value carries the epoch
	 */
	static boolean hasEpoch(byte[] value, byte[] epoch) {
		return epoch.length == EPOCH_LENGTH && value.length >= EPOCH_OFFSET + EPOCH_LENGTH
				&& Arrays.equals(value, EPOCH_OFFSET, EPOCH_OFFSET + EPOCH_LENGTH, epoch, 0, EPOCH_LENGTH);
	}

	/**
	 * The expiry of a value that {@linkplain #decode decoded}.
	 * @param value the value
	 * @return the expiry in epoch milliseconds on the writer's clock
	 */
	static long expiresAt(byte[] value) {
		return ByteBuffer.wrap(value, EXPIRY_OFFSET, Long.BYTES).getLong();
	}

	/**
	 * The counter value that the render of a value that {@linkplain #decode decoded}
	 * started from.
	 * @param value the value
	 * @return the counter value of the lookup that the render started from
	 */
	static long sequence(byte[] value) {
		return ByteBuffer.wrap(value, SEQUENCE_OFFSET, Long.BYTES).getLong();
	}

}
