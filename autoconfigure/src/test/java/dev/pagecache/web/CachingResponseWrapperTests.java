package dev.pagecache.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CachingResponseWrapper}: what a handler writes through the writer is
 * captured as the bytes the container's writer would have sent, whichever way it writes
 * and wherever the blocks of the writer's buffer fall.
 */
class CachingResponseWrapperTests {

	@Test
	void textWrittenInEveryWayIsCapturedAsItsUtf8Bytes() throws IOException {
		// chars of one, two, three and four bytes (a surrogate pair), in runs that
		// straddle every block
		String[] pieces = { "a", "é", "€", "😀", "<p class=\"x\">", "\n" };
		Random random = new Random(7);
		StringBuilder expected = new StringBuilder();
		CachingResponseWrapper response = capturing("text/html;charset=UTF-8");
		PrintWriter writer = response.getWriter();
		for (int i = 0; i < 30_000; i++) {
			String piece = pieces[random.nextInt(pieces.length)];
			expected.append(piece);
			switch (random.nextInt(5)) {
				case 0 -> piece.chars().forEach(writer::write);
				case 1 -> writer.write(piece.toCharArray());
				case 2 -> writer.print(piece);
				case 3 -> writer.write("[" + piece + "]", 1, piece.length());
				default -> {
					writer.append(piece);
					if (random.nextInt(50) == 0) {
						writer.flush();
					}
				}
			}
		}
		writer.println();
		expected.append(System.lineSeparator());
		byte[] captured = Arrays.copyOf(response.capturedBody(), response.capturedLength());
		assertThat(new String(captured, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
		assertThat(captured).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void textIsEncodedInTheResponseCharacterEncoding() throws IOException {
		CachingResponseWrapper response = capturing("text/plain;charset=ISO-8859-1");
		response.getWriter().print("café");
		assertThat(Arrays.copyOf(response.capturedBody(), response.capturedLength()))
			.isEqualTo("café".getBytes(StandardCharsets.ISO_8859_1));
	}

	@Test
	void capturedTextIsSentWhole() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 1 << 20);
		response.startBuffering();
		response.setContentType("text/html;charset=UTF-8");
		String text = "ü😀".repeat(5000);
		response.getWriter().print(text);
		response.sendCapturedBody();
		assertThat(target.getContentAsByteArray()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
	}

	private static CachingResponseWrapper capturing(String contentType) {
		CachingResponseWrapper response = new CachingResponseWrapper(new MockHttpServletResponse(), 1 << 20);
		response.startBuffering();
		response.setContentType(contentType);
		return response;
	}

}
