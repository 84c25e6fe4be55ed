package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PageValue}, the format of a page's value in Redis.
 *
 * @author pagecache
 */
class PageValueTests {

	private static final String EPOCH = "Xq3mX9a_E2lT0pVb";

	private static final byte[] EPOCH_BYTES = EPOCH.getBytes(StandardCharsets.UTF_8);

	private static final PageEntry ENTRY = new PageEntry(200,
			List.of(new PageEntry.Header("Content-Type", "text/html")), "body".getBytes(StandardCharsets.UTF_8), 4,
			"\"e\"", 1_700_000_000_000L, Set.of("Post#1"));

	@Test
	void valueDecodesToTheEntryItWasEncodedFromWithItsExpiryAndSequence() {
		byte[] value = PageValue.encode(EPOCH, 1_767_226_200_000L, 4_000_000_017L, ENTRY);
		PageEntry decoded = PageValue.decode(value, EPOCH_BYTES);
		assertThat(decoded).isNotNull();
		assertThat(decoded.gzippedBody()).isEqualTo(ENTRY.gzippedBody());
		assertThat(decoded.tags()).isEqualTo(ENTRY.tags());
		assertThat(decoded.etag()).isEqualTo(ENTRY.etag());
		assertThat(PageValue.expiresAt(value)).isEqualTo(1_767_226_200_000L);
		assertThat(PageValue.sequence(value)).isEqualTo(4_000_000_017L);
	}

	@Test
	void valueStartsWithItsVersionAndEpoch() {
		byte[] value = PageValue.encode(EPOCH, 0, 7, ENTRY);
		assertThat(value[0]).isEqualTo(PageValue.VERSION);
		assertThat(Arrays.copyOfRange(value, 1, 1 + PageValue.EPOCH_LENGTH)).isEqualTo(EPOCH_BYTES);
		assertThat(value[PageValue.HEADER_LENGTH + 2]).isEqualTo(PageEntryCodec.VERSION);
	}

	@Test
	void valueOfAnUnknownVersionIsNoPage() {
		byte[] value = PageValue.encode(EPOCH, 0, 7, ENTRY);
		for (byte version : new byte[] { 0, 1, 2, 4, 'X' }) {
			value[0] = version;
			assertThat(PageValue.decode(value, EPOCH_BYTES)).as("version %d", version).isNull();
		}
	}

	@Test
	void valueOfAnotherEpochIsNoPageButStillCarriesItsEpoch() {
		byte[] value = PageValue.encode(EPOCH, 0, 7, ENTRY);
		byte[] other = "Yq3mX9a_E2lT0pVb".getBytes(StandardCharsets.UTF_8);
		assertThat(PageValue.decode(value, other)).isNull();
		assertThat(PageValue.hasEpoch(value, other)).isFalse();
		assertThat(PageValue.hasEpoch(value, EPOCH_BYTES)).isTrue();
	}

	@Test
	void truncatedOrForeignValueIsNoPage() {
		byte[] value = PageValue.encode(EPOCH, 0, 7, ENTRY);
		assertThat(PageValue.decode(Arrays.copyOf(value, PageValue.HEADER_LENGTH + 10), EPOCH_BYTES)).isNull();
		assertThat(PageValue.decode(Arrays.copyOf(value, 5), EPOCH_BYTES)).isNull();
		assertThat(PageValue.decode("garbage".getBytes(StandardCharsets.UTF_8), EPOCH_BYTES)).isNull();
		assertThat(PageValue.decode(null, EPOCH_BYTES)).isNull();
	}

	@Test
	void entryInAnUnknownCodecVersionIsNoPage() {
		byte[] value = PageValue.encode(EPOCH, 0, 7, ENTRY);
		value[PageValue.HEADER_LENGTH + 2] = 99;
		assertThat(PageValue.decode(value, EPOCH_BYTES)).isNull();
	}

	@Test
	void epochOfTheWrongLengthIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> PageValue.encode("short", 0, 7, ENTRY));
		assertThat(PageValue.isEpoch("short")).isFalse();
		assertThat(PageValue.isEpoch(EPOCH)).isTrue();
	}

	@Test
	void newEpochsAreRandomAndOfTheEpochLength() {
		byte[] first = PageValue.newEpoch();
		assertThat(first).hasSize(PageValue.EPOCH_LENGTH);
		assertThat(PageValue.newEpoch()).isNotEqualTo(first);
	}

}
