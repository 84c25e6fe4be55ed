package dev.pagecache.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CachingResponseWrapper}: what a handler writes through the writer is
 * captured as the bytes the container's writer would have sent, whichever way it writes
 * and wherever the blocks of the writer's buffer fall; and each of its states: passing,
 * capturing, released past the limit or when not stored, abandoned on an error, sent.
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
		byte[] captured = sent(response);
		assertThat(new String(captured, StandardCharsets.UTF_8)).isEqualTo(expected.toString());
		assertThat(captured).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void textWrittenBeforeAResetIsNotCaptured() throws IOException {
		CachingResponseWrapper response = capturing("text/html;charset=UTF-8");
		response.getWriter().write("<p>half a page, then an error page</p>");
		response.resetBuffer();
		response.getWriter().write("<p>after resetBuffer</p>");
		response.reset();
		response.setContentType("text/html;charset=UTF-8");
		response.getWriter().write("<p>the page</p>");
		assertThat(new String(sent(response), StandardCharsets.UTF_8)).isEqualTo("<p>the page</p>");
	}

	@Test
	void textIsEncodedInTheResponseCharacterEncoding() throws IOException {
		CachingResponseWrapper response = capturing("text/plain;charset=ISO-8859-1");
		response.getWriter().print("café");
		assertThat(sent(response)).isEqualTo("café".getBytes(StandardCharsets.ISO_8859_1));
	}

	@Test
	void capturedTextIsSentWhole() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 1 << 20);
		response.startCapturing();
		response.setContentType("text/html;charset=UTF-8");
		String text = "ü😀".repeat(5000);
		response.getWriter().print(text);
		response.sendCapturedBody();
		assertThat(target.getContentAsByteArray()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void bodyWrittenBeforeTheHandlerIsConfirmedPassesThrough() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 100);
		response.getOutputStream().write(bytes("early"));
		assertThat(response.state()).isEqualTo(CaptureState.PASSING);
		assertThat(response.completeCapture()).isFalse();
		assertThat(target.getContentAsString()).isEqualTo("early");
	}

	@Test
	void confirmedBodyIsKeptUntilSentWithItsLength() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 100);
		response.startCapturing();
		response.setContentLength(99);
		response.getOutputStream().write(bytes("kept"));
		response.flushBuffer();
		assertThat(response.isCommitted()).isFalse();
		assertThat(target.getContentAsByteArray()).isEmpty();
		assertThat(response.completeCapture()).isTrue();
		response.sendCapturedBody();
		assertThat(response.state()).isEqualTo(CaptureState.SENT);
		assertThat(target.getContentAsString()).isEqualTo("kept");
		assertThat(target.getContentLength()).isEqualTo(4);
	}

	@Test
	void bodyPastTheLimitIsReleasedWithWhatWasKeptFirst() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 10);
		response.startCapturing();
		response.setContentLength(12);
		response.getOutputStream().write(bytes("123456"));
		response.getOutputStream().write(bytes("789abc"));
		assertThat(response.state()).isEqualTo(CaptureState.RELEASED);
		assertThat(target.getContentAsString()).isEqualTo("123456789abc");
		assertThat(target.getContentLength()).isEqualTo(12);
		assertThat(response.completeCapture()).isFalse();
	}

	@Test
	void lastCharsOfTheWriterPastTheLimitReleaseTheCapture() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 10);
		response.startCapturing();
		response.setContentType("text/plain;charset=UTF-8");
		// held by the writer until it finishes
		response.getWriter().print("0123456789ab");
		assertThat(response.completeCapture()).isFalse();
		assertThat(response.state()).isEqualTo(CaptureState.RELEASED);
		assertThat(target.getContentAsString()).isEqualTo("0123456789ab");
	}

	@Test
	void errorDropsWhatWasKeptAndCaptureDoesNotResume() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 100);
		response.startCapturing();
		response.getOutputStream().write(bytes("half a page"));
		response.sendError(500);
		assertThat(response.state()).isEqualTo(CaptureState.ABANDONED);
		response.startCapturing();
		assertThat(response.completeCapture()).isFalse();
		assertThat(target.getContentAsString()).doesNotContain("half a page");
		assertThat(target.getStatus()).isEqualTo(500);
	}

	@Test
	void responseCommittedBeforeTheHandlerIsConfirmedIsNotCaptured() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 100);
		response.flushBuffer();
		response.startCapturing();
		assertThat(response.state()).isEqualTo(CaptureState.RELEASED);
		response.getOutputStream().write(bytes("late"));
		assertThat(target.getContentAsString()).isEqualTo("late");
	}

	@Test
	void pageNotStoredIsWrittenOutAndTheRestPassesThrough() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 100);
		response.startCapturing();
		response.getOutputStream().write(bytes("kept "));
		response.passThrough();
		response.getOutputStream().write(bytes("then passed"));
		assertThat(response.state()).isEqualTo(CaptureState.RELEASED);
		assertThat(target.getContentAsString()).isEqualTo("kept then passed");
	}

	@Test
	void anotherEncodingIsSentInsteadWithItsOwnValidator() throws IOException {
		MockHttpServletResponse target = new MockHttpServletResponse();
		CachingResponseWrapper response = new CachingResponseWrapper(target, 100);
		response.startCapturing();
		response.getOutputStream().write(bytes("plain"));
		response.sendInstead(bytes("zipped"), "gzip", "\"e-gz\"");
		assertThat(target.getContentAsString()).isEqualTo("zipped");
		assertThat(target.getHeader("Content-Encoding")).isEqualTo("gzip");
		assertThat(target.getHeader("ETag")).isEqualTo("\"e-gz\"");
		assertThat(target.getContentLength()).isEqualTo(6);
	}

	@Test
	void keptBodyBecomesAnEntryOfItsStatusHeadersAndBytes() throws IOException {
		CachingResponseWrapper response = new CachingResponseWrapper(new MockHttpServletResponse(), 100);
		response.startCapturing();
		response.setContentType("text/html");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Set-Cookie", "a=b");
		response.getOutputStream().write(bytes("<p>page</p>"));
		PageEntry entry = response.toEntry(List.of("Page"), 42, 1);
		assertThat(Gzip.decompress(entry.gzippedBody(), entry.identityLength())).isEqualTo(bytes("<p>page</p>"));
		assertThat(entry.headers()).containsExactly(new PageEntry.Header("Content-Type", "text/html"),
				new PageEntry.Header("X-Frame-Options", "DENY"));
		assertThat(entry.status()).isEqualTo(200);
		assertThat(entry.storedAt()).isEqualTo(42);
		assertThat(entry.tags()).containsExactly("Page");
	}

	@Test
	void bodyNotKeptWholeCannotBeSentOrStored() throws IOException {
		CachingResponseWrapper response = new CachingResponseWrapper(new MockHttpServletResponse(), 4);
		response.startCapturing();
		response.getOutputStream().write(bytes("too long"));
		assertThatIllegalStateException().isThrownBy(response::sendCapturedBody).withMessageContaining("RELEASED");
		assertThatIllegalStateException().isThrownBy(() -> response.toEntry(List.of(), 0, 1));
		assertThatIllegalStateException()
			.isThrownBy(() -> new CachingResponseWrapper(new MockHttpServletResponse(), 4).sendCapturedBody())
			.withMessageContaining("PASSING");
	}

	@Test
	void bodySentOnceCannotBeSentAgain() throws IOException {
		CachingResponseWrapper response = new CachingResponseWrapper(new MockHttpServletResponse(), 100);
		response.startCapturing();
		response.sendCapturedBody();
		assertThatIllegalStateException().isThrownBy(response::sendCapturedBody).withMessageContaining("SENT");
		assertThatIllegalStateException().isThrownBy(response::passThrough);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] sent(CachingResponseWrapper response) throws IOException {
		MockHttpServletResponse target = (MockHttpServletResponse) response.getResponse();
		response.sendCapturedBody();
		return target.getContentAsByteArray();
	}

	private static CachingResponseWrapper capturing(String contentType) throws IOException {
		CachingResponseWrapper response = new CachingResponseWrapper(new MockHttpServletResponse(), 1 << 20);
		response.startCapturing();
		response.setContentType(contentType);
		return response;
	}

}
