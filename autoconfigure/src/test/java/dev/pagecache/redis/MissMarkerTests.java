package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.PageEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MissMarker}: why a page missed, from its value and its miss reason.
 *
 * @author pagecache
 */
class MissMarkerTests {

	private static final String EPOCH = "Xq3mX9a_E2lT0pVb";

	private static final byte[] EPOCH_BYTES = bytes(EPOCH);

	private static final long NOW = 1_767_225_600_000L;

	@Test
	void noValueAndNoMarkerIsAFirstRender() {
		assertThat(MissMarker.reason(null, EPOCH_BYTES, null, NOW)).isEqualTo(MissReason.FIRST);
	}

	@Test
	void valueOfAnEarlierEpochWasInvalidatedByAClear() {
		byte[] value = PageValue.encode("Yq3mX9a_E2lT0pVb", NOW, 7, entry());
		assertThat(MissMarker.reason(value, EPOCH_BYTES, null, NOW)).isEqualTo(MissReason.INVALIDATED);
	}

	@Test
	void unreadableValueOfThisEpochIsAFirstRender() {
		byte[] value = PageValue.encode(EPOCH, NOW, 7, entry());
		value[0] = 3;
		assertThat(MissMarker.reason(value, EPOCH_BYTES, null, NOW)).isEqualTo(MissReason.FIRST);
	}

	@Test
	void markerOfAnInvalidationIsInvalidated() {
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("i"), NOW)).isEqualTo(MissReason.INVALIDATED);
	}

	@Test
	void storedMarkerPastItsExpiryWithinTheToleranceIsExpired() {
		long expiry = NOW + MissMarker.EXPIRY_TOLERANCE_MILLIS;
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("s" + EPOCH + expiry), NOW))
			.isEqualTo(MissReason.EXPIRED);
	}

	@Test
	void storedMarkerBeforeItsExpiryIsEvicted() {
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("s" + EPOCH + (NOW + 60_000)), NOW))
			.isEqualTo(MissReason.EVICTED);
	}

	@Test
	void storedMarkerOfAnEarlierEpochIsInvalidated() {
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("sYq3mX9a_E2lT0pVb" + (NOW + 60_000)), NOW))
			.isEqualTo(MissReason.INVALIDATED);
	}

	@Test
	void malformedMarkerIsAFirstRender() {
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("s" + EPOCH), NOW)).isEqualTo(MissReason.FIRST);
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("s" + EPOCH + "12x"), NOW)).isEqualTo(MissReason.FIRST);
		assertThat(MissMarker.reason(null, EPOCH_BYTES, bytes("x" + EPOCH + NOW), NOW)).isEqualTo(MissReason.FIRST);
		assertThat(MissMarker.reason(null, EPOCH_BYTES, new byte[0], NOW)).isEqualTo(MissReason.FIRST);
	}

	private static PageEntry entry() {
		return new PageEntry(200, List.of(), bytes("body"), 4, "\"e\"", 0, Set.of());
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
