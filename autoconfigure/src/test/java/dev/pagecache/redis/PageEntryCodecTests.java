package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageEntryCodec}.
 *
 * @author pagecache
 */
class PageEntryCodecTests {

	private final PageEntry entry = new PageEntry(200,
			List.of(new PageEntry.Header("Content-Type", "text/html;charset=UTF-8"),
					new PageEntry.Header("Vary", "Accept-Encoding")),
			"compressed ünïcode".getBytes(StandardCharsets.UTF_8), 1234, "\"abc\"", 1767225600000L,
			Set.of("Post#42", "path:/posts/42"));

	@Test
	void entryReadsBackAsWritten() {
		assertSameEntry(PageEntryCodec.decode(PageEntryCodec.encode(this.entry)));
	}

	@Test
	void entryAfterTheCallersHeaderReadsBackAtItsOffset() {
		byte[] bytes = PageEntryCodec.encode(this.entry, 24);
		assertThat(Arrays.copyOf(bytes, 24)).containsOnly(0);
		assertThat(Arrays.copyOfRange(bytes, 24, bytes.length)).isEqualTo(PageEntryCodec.encode(this.entry));
		Arrays.fill(bytes, 0, 24, (byte) 'x');
		assertSameEntry(PageEntryCodec.decode(bytes, 24));
	}

	@Test
	void bytesInAnotherFormatVersionOrCutShortAreNotAnEntry() {
		byte[] bytes = PageEntryCodec.encode(this.entry, 8);
		assertThat(PageEntryCodec.decode(bytes, 0)).isNull();
		assertThat(PageEntryCodec.decode(Arrays.copyOf(bytes, bytes.length - 1), 8)).isNull();
		assertThat(PageEntryCodec.decode(bytes, bytes.length)).isNull();
		bytes[8 + 2] = PageEntryCodec.VERSION + 1;
		assertThat(PageEntryCodec.decode(bytes, 8)).isNull();
	}

	private void assertSameEntry(PageEntry decoded) {
		assertThat(decoded).isNotNull();
		assertThat(decoded.status()).isEqualTo(200);
		assertThat(decoded.headers()).isEqualTo(this.entry.headers());
		assertThat(decoded.gzippedBody()).isEqualTo(this.entry.gzippedBody());
		assertThat(decoded.identityLength()).isEqualTo(1234);
		assertThat(decoded.etag()).isEqualTo("\"abc\"");
		assertThat(decoded.storedAt()).isEqualTo(1767225600000L);
		assertThat(decoded.tags()).isEqualTo(this.entry.tags());
	}

}
