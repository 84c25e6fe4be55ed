package dev.pagecache.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Gzip}.
 *
 * @author pagecache
 */
class GzipTests {

	@ParameterizedTest(name = "level {0}")
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8, 9 })
	void compressedBodyDecompressesToTheCapturedBytesAtEveryLevel(int level) throws IOException {
		byte[] page = SamplePage.html();
		byte[] captured = Arrays.copyOf(page, page.length + 100); // a capture buffer is
																	// longer than its
																	// body
		Arrays.fill(captured, page.length, captured.length, (byte) '!');
		byte[] gzipped = Gzip.compress(captured, page.length, level);
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			assertThat(in.readAllBytes()).isEqualTo(page);
		}
		assertThat(Gzip.decompress(gzipped, page.length)).isEqualTo(page);
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 2, 257, 8192, 65536, 100_000 })
	void decompressRestoresBodiesOfEveryLengthCompressibleOrNot(int length) {
		byte[] random = new byte[length];
		new Random(length).nextBytes(random);
		byte[] text = new byte[length];
		for (int i = 0; i < length; i++) {
			text[i] = (byte) ('a' + (i * 7 % 13));
		}
		for (byte[] body : List.of(random, text)) {
			for (int level : new int[] { 1, 9 }) {
				assertThat(Gzip.decompress(Gzip.compress(body, length, level), length)).isEqualTo(body);
			}
		}
	}

	@Test
	void decompressReadsAMemberWithOptionalHeaderFields() throws IOException {
		byte[] page = SamplePage.html();
		byte[] gzipped = Gzip.compress(page, page.length, 1);
		byte[] name = "page.html\0".getBytes(StandardCharsets.ISO_8859_1);
		byte[] named = new byte[gzipped.length + name.length];
		System.arraycopy(gzipped, 0, named, 0, 10);
		named[3] = 0x08; // FNAME: a file name follows the fixed header
		System.arraycopy(name, 0, named, 10, name.length);
		System.arraycopy(gzipped, 10, named, 10 + name.length, gzipped.length - 10);
		assertThat(Gzip.decompress(named, page.length)).isEqualTo(page);
	}

	@Test
	void decompressRefusesABodyThatDoesNotMatchItsTrailer() {
		byte[] page = SamplePage.html();
		byte[] gzipped = Gzip.compress(page, page.length, 1);
		byte[] badCrc = gzipped.clone();
		badCrc[gzipped.length - 8] ^= 1;
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> Gzip.decompress(badCrc, page.length));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> Gzip.decompress(gzipped, page.length - 1));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> Gzip.decompress(Arrays.copyOf(gzipped, gzipped.length - 20), page.length));
	}

	@Test
	void compressionLevelIsApplied() {
		byte[] page = SamplePage.html();
		int fastest = Gzip.compress(page, page.length, 1).length;
		int smallest = Gzip.compress(page, page.length, 9).length;
		assertThat(smallest).isLessThan(fastest);
		assertThat(fastest).isLessThan(page.length / 3);
	}

}
