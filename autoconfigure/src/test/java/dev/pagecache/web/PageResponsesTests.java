package dev.pagecache.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.store.PageEntry;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PageResponses}.
 *
 * @author pagecache
 */
class PageResponsesTests {

	@ParameterizedTest(name = "Accept-Encoding: \"{0}\" -> {1}")
	@CsvSource(delimiter = '|',
			value = { "gzip | true", "GZIP | true", "gzip, deflate, br | true", "deflate , gzip | true",
					"br;q=1.0, gzip;q=0.8 | true", "gzip; q=0.001 | true", "gzip;q=0 | false",
					"gzip ; q = 0.000 | false", "gzip;Q=0.0 | false", "deflate, gzip;q=0, br | false", "x-gzip | false",
					"gzipped | false", "br | false", "identity | false", "'' | false", "'  ,  , gzip' | true" })
	void acceptsGzipOnlyWithANonZeroQuality(String acceptEncoding, boolean accepted) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("Accept-Encoding", acceptEncoding);
		assertThat(PageResponses.acceptsGzip(request)).isEqualTo(accepted);
	}

	@ParameterizedTest(name = "headers {0} -> {1}")
	@CsvSource(delimiter = '|', value = { "deflate;br | false", "br;identity;compress | false" })
	void acceptsGzipReadsEveryAcceptEncodingHeader(String headers, boolean accepted) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		for (String header : headers.split(";")) {
			request.addHeader("Accept-Encoding", header);
		}
		assertThat(PageResponses.acceptsGzip(request)).isEqualTo(accepted);
		request.addHeader("Accept-Encoding", "gzip");
		assertThat(PageResponses.acceptsGzip(request)).isTrue();
	}

	@ParameterizedTest(name = "level {0}")
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8, 9 })
	void gzippedBodyDecompressesToTheCapturedBytesAtEveryLevel(int level) throws IOException {
		byte[] page = page();
		byte[] captured = Arrays.copyOf(page, page.length + 100); // a capture buffer is
																	// longer than its
																	// body
		Arrays.fill(captured, page.length, captured.length, (byte) '!');
		byte[] gzipped = PageResponses.gzip(captured, page.length, level);
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			assertThat(in.readAllBytes()).isEqualTo(page);
		}
		assertThat(PageResponses.gunzip(gzipped, page.length)).isEqualTo(page);
	}

	@ParameterizedTest(name = "{0} bytes")
	@ValueSource(ints = { 0, 1, 2, 257, 8192, 65536, 100_000 })
	void gunzipRestoresBodiesOfEveryLengthCompressibleOrNot(int length) {
		byte[] random = new byte[length];
		new Random(length).nextBytes(random);
		byte[] text = new byte[length];
		for (int i = 0; i < length; i++) {
			text[i] = (byte) ('a' + (i * 7 % 13));
		}
		for (byte[] body : List.of(random, text)) {
			for (int level : new int[] { 1, 9 }) {
				assertThat(PageResponses.gunzip(PageResponses.gzip(body, length, level), length)).isEqualTo(body);
			}
		}
	}

	@Test
	void gunzipReadsAMemberWithOptionalHeaderFields() throws IOException {
		byte[] page = page();
		byte[] gzipped = PageResponses.gzip(page, page.length, 1);
		byte[] name = "page.html\0".getBytes(StandardCharsets.ISO_8859_1);
		byte[] named = new byte[gzipped.length + name.length];
		System.arraycopy(gzipped, 0, named, 0, 10);
		named[3] = 0x08; // FNAME: a file name follows the fixed header
		System.arraycopy(name, 0, named, 10, name.length);
		System.arraycopy(gzipped, 10, named, 10 + name.length, gzipped.length - 10);
		assertThat(PageResponses.gunzip(named, page.length)).isEqualTo(page);
	}

	@Test
	void gunzipRefusesABodyThatDoesNotMatchItsTrailer() {
		byte[] page = page();
		byte[] gzipped = PageResponses.gzip(page, page.length, 1);
		byte[] badCrc = gzipped.clone();
		badCrc[gzipped.length - 8] ^= 1;
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> PageResponses.gunzip(badCrc, page.length));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> PageResponses.gunzip(gzipped, page.length - 1));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> PageResponses.gunzip(Arrays.copyOf(gzipped, gzipped.length - 20), page.length));
	}

	@Test
	void compressionLevelIsApplied() {
		byte[] page = page();
		int fastest = PageResponses.gzip(page, page.length, 1).length;
		int smallest = PageResponses.gzip(page, page.length, 9).length;
		assertThat(smallest).isLessThan(fastest);
		assertThat(fastest).isLessThan(page.length / 3);
	}

	@Test
	void etagChangesWhenAnyOneByteOfTheBodyChanges() {
		byte[] page = page();
		String etag = entry(page, 1).etag();
		Set<String> etags = new HashSet<>(Set.of(etag));
		for (int position = 0; position < page.length; position += 97) {
			byte[] changed = page.clone();
			changed[position] ^= 1;
			etags.add(entry(changed, 1).etag());
		}
		byte[] last = page.clone();
		last[last.length - 1] = 'x';
		etags.add(entry(last, 1).etag());
		etags.add(entry(Arrays.copyOf(page, page.length - 1), 1).etag());
		etags.add(entry(Arrays.copyOf(page, page.length + 1), 1).etag());
		assertThat(etags).hasSize(1 + (page.length + 96) / 97 + 3);
	}

	@Test
	void etagIsAStrongValidatorOf128BitsThatTheSameBodyAlwaysGets() {
		byte[] page = page();
		String etag = entry(page, 1).etag();
		assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
		assertThat(entry(page.clone(), 1).etag()).isEqualTo(etag);
		assertThat(entry(page, 1).gzipEtag()).isEqualTo(etag.substring(0, 23) + "-gz\"");
	}

	@Test
	void etagOfTheApplicationIsKept() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.setHeader("ETag", "\"v42\"");
		byte[] page = page();
		PageEntry entry = PageResponses.entry(response, page, page.length, List.of("Page"), 0, 1);
		assertThat(entry.etag()).isEqualTo("\"v42\"");
	}

	private static PageEntry entry(byte[] body, int level) {
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.setContentType("text/html;charset=UTF-8");
		return PageResponses.entry(response, body, body.length, List.of("Page"), 0, level);
	}

	/** About 25 KB of HTML, like the sample blog's home page. */
	private static byte[] page() {
		StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n<main>\n");
		for (int post = 1; html.length() < 25_000; post++) {
			html.append("<article class=\"post\">\n\t<h2><a href=\"/posts/")
				.append(post)
				.append("\">Field note ")
				.append(post)
				.append("</a></h2>\n\t<p class=\"meta\">by author ")
				.append(post % 7)
				.append(" in category ")
				.append(post % 5)
				.append(", ")
				.append(post * 37 % 101)
				.append(" comments</p>\n\t<p>")
				.append(Integer.toHexString(post * 40503))
				.append(" notes on the weather, the birds and the tides of week ")
				.append(post * 13 % 52)
				.append(".</p>\n</article>\n");
		}
		return html.append("</main>\n</body>\n</html>\n").toString().getBytes(StandardCharsets.UTF_8);
	}

}
