package dev.pagecache.redis;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageLookup.MissReason;

/**
 * The miss reason of a page, {@code {ns}:miss-reason:<page id>}, as {@code put.lua} and
 * {@code invalidate.lua} write it: {@code s}, the epoch and the page's expiry in epoch
 * milliseconds on the server's clock (decimal) for a stored page; {@code i} for an
 * invalidated one. Read without allocating.
 *
 * @author pagecache
 */
final class MissMarker {

	/**
	 * How far before its expiry a page that is gone still counts as expired rather than
	 * evicted: the expiry is on the Redis server's clock, the comparison on this
	 * instance's.
	 */
	static final long EXPIRY_TOLERANCE_MILLIS = 1000;

	private MissMarker() {
	}

	/**
	 * Why a page was not found, from the page's value (of an earlier epoch, or
	 * unreadable) or its marker.
	 * @param value the page's value, if any
	 * @param epoch the current epoch
	 * @param marker the page's marker, if any
	 * @param now this instance's time in epoch milliseconds
	 * @return the reason
	 */
	static MissReason reason(byte @Nullable [] value, byte[] epoch, byte @Nullable [] marker, long now) {
		if (value != null) {
			// a value of an earlier epoch was dropped by a clear; one of this epoch is in
			// a
			// format this version does not read, so this version never rendered it
			return PageValue.hasEpoch(value, epoch) ? MissReason.FIRST : MissReason.INVALIDATED;
		}
		if (marker == null || marker.length == 0) {
			return MissReason.FIRST;
		}
		if (marker[0] == 'i') {
			return MissReason.INVALIDATED;
		}
		long expiresAt = parseDigits(marker, 1 + PageValue.EPOCH_LENGTH);
		if (marker[0] != 's' || expiresAt < 0) {
			return MissReason.FIRST;
		}
		if (expiresAt <= now + EXPIRY_TOLERANCE_MILLIS) {
			return MissReason.EXPIRED;
		}
		boolean sameEpoch = epoch.length == PageValue.EPOCH_LENGTH
				&& Arrays.equals(marker, 1, 1 + PageValue.EPOCH_LENGTH, epoch, 0, PageValue.EPOCH_LENGTH);
		return sameEpoch ? MissReason.EVICTED : MissReason.INVALIDATED;
	}

	/**
	 * The decimal number from an offset to the end; -1 if there is none.
	 */
	private static long parseDigits(byte[] value, int offset) {
		if (value.length <= offset || value.length - offset > 18) {
			return -1;
		}
		long result = 0;
		for (int i = offset; i < value.length; i++) {
			int digit = value[i] - '0';
			if (digit < 0 || digit > 9) {
				return -1;
			}
			result = result * 10 + digit;
		}
		return result;
	}

}
