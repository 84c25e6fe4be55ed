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
 * writer's clock (8 bytes, big-endian) and the {@linkplain PageEntryCodec encoded entry}.
 * A value of another version, of another epoch or that does not decode is no page: a
 * miss.
 * <p>
 * Version 2 (this one) added the version byte; version 1 values (starting with the epoch)
 * live under the keys of layout version 1, which are never read.
 *
 * @author pagecache
 */
final class PageValue {

	static final byte VERSION = 2;

	static final int EPOCH_LENGTH = 16;

	/** Where the epoch starts: after the version byte. */
	static final int EPOCH_OFFSET = 1;

	private static final int EXPIRY_OFFSET = EPOCH_OFFSET + EPOCH_LENGTH;

	/** Where the encoded entry starts. */
	static final int HEADER_LENGTH = EXPIRY_OFFSET + Long.BYTES;

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

	static byte[] encode(String epoch, long expiresAt, PageEntry entry) {
		byte[] epochBytes = RedisKeys.bytes(epoch);
		if (epochBytes.length != EPOCH_LENGTH) {
			throw new IllegalArgumentException("An epoch has " + EPOCH_LENGTH + " characters: " + epoch);
		}
		byte[] value = PageEntryCodec.encode(entry, HEADER_LENGTH);
		ByteBuffer.wrap(value).put(VERSION).put(epochBytes).putLong(expiresAt);
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

}
