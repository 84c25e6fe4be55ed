package dev.pagecache.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * A response that passes everything through until {@link #startBuffering()} is called
 * (once the handler is known to carry {@code @CachePage}), and from then on keeps the
 * body in memory, up to a limit, so that it can be stored. A body that grows past the
 * limit, an error or a redirect switches it back to passing through, and the page is then
 * not stored. Headers always go straight to the wrapped response.
 *
 * @author pagecache
 */
final class CachingResponseWrapper extends HttpServletResponseWrapper {

	private static final int WRITER_BUFFER_SIZE = 8192;

	private final int limit;

	private byte[] buffer = new byte[0];

	private int count;

	private boolean buffering;

	private boolean abandoned;

	private long contentLength = -1;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable CapturingWriter writer;

	CachingResponseWrapper(HttpServletResponse response, long limit) {
		super(response);
		this.limit = (int) Math.min(limit, Integer.MAX_VALUE - 8);
	}

	void startBuffering() {
		if (!this.abandoned && this.outputStream == null && this.writer == null && !isCommitted()) {
			this.buffering = true;
			this.buffer = new byte[8192];
		}
	}

	/**
	 * Whether the whole body is held in memory and may be stored.
	 * @return {@code true} if the body was captured completely
	 */
	boolean isCaptured() {
		return this.buffering;
	}

	/**
	 * The captured body. Flushes a writer first.
	 * @return the body bytes (the array may be longer than {@link #capturedLength()})
	 */
	byte[] capturedBody() {
		finishWriter();
		return this.buffer;
	}

	int capturedLength() {
		return this.count;
	}

	/**
	 * Stop capturing: write what was captured to the wrapped response and pass the rest
	 * through.
	 * @throws IOException on a write failure
	 */
	void passThrough() throws IOException {
		finishWriter();
		release();
	}

	/**
	 * Stop capturing without flushing the writer, which may be the caller: write what was
	 * captured to the wrapped response.
	 */
	private void release() throws IOException {
		if (!this.buffering) {
			return;
		}
		this.buffering = false;
		this.abandoned = true;
		if (this.contentLength >= 0) {
			super.setContentLengthLong(this.contentLength);
		}
		if (this.count > 0) {
			getResponse().getOutputStream().write(this.buffer, 0, this.count);
		}
		this.buffer = new byte[0];
		this.count = 0;
	}

	/**
	 * Send the captured body to the client.
	 * @throws IOException on a write failure
	 */
	void sendCapturedBody() throws IOException {
		finishWriter();
		if (!this.buffering) {
			return;
		}
		this.buffering = false;
		if (!getResponse().isCommitted()) {
			super.setContentLength(this.count);
		}
		if (this.count > 0) {
			getResponse().getOutputStream().write(this.buffer, 0, this.count);
		}
	}

	/**
	 * Send another encoding of the captured body in its place, such as its gzip encoding,
	 * with the ETag of that encoding; the captured body itself when the response is
	 * committed already.
	 * @param body the encoded body
	 * @param encoding the {@code Content-Encoding}
	 * @param etag the ETag of the encoded body
	 * @throws IOException if the body cannot be written
	 */
	void sendInstead(byte[] body, String encoding, String etag) throws IOException {
		finishWriter();
		if (!this.buffering || getResponse().isCommitted()) {
			sendCapturedBody();
			return;
		}
		this.buffering = false;
		HttpServletResponse response = (HttpServletResponse) getResponse();
		response.setHeader(HttpHeaders.CONTENT_ENCODING, encoding);
		response.setHeader(HttpHeaders.ETAG, etag);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** Encode what the writer holds, once the handler has written everything. */
	private void finishWriter() {
		if (this.writer != null) {
			this.writer.finish();
		}
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (!this.buffering) {
			return super.getOutputStream();
		}
		if (this.writer != null) {
			throw new IllegalStateException("getWriter() has already been called for this response");
		}
		if (this.outputStream == null) {
			this.outputStream = new BufferStream();
		}
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (!this.buffering) {
			return super.getWriter();
		}
		if (this.outputStream != null) {
			throw new IllegalStateException("getOutputStream() has already been called for this response");
		}
		if (this.writer == null) {
			this.writer = new CapturingWriter(Charset.forName(getCharacterEncoding()));
		}
		return this.writer;
	}

	@Override
	public void setContentLength(int len) {
		setContentLengthLong(len);
	}

	@Override
	public void setContentLengthLong(long len) {
		if (this.buffering) {
			this.contentLength = len;
		}
		else {
			super.setContentLengthLong(len);
		}
	}

	@Override
	public void flushBuffer() throws IOException {
		if (this.buffering) {
			if (this.writer != null) {
				this.writer.flush();
			}
			return;
		}
		super.flushBuffer();
	}

	@Override
	public boolean isCommitted() {
		return !this.buffering && super.isCommitted();
	}

	@Override
	public void resetBuffer() {
		this.count = 0;
		super.resetBuffer();
	}

	@Override
	public void reset() {
		this.count = 0;
		this.contentLength = -1;
		super.reset();
	}

	@Override
	public void sendError(int sc) throws IOException {
		abandon();
		super.sendError(sc);
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		abandon();
		super.sendError(sc, msg);
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		abandon();
		super.sendRedirect(location);
	}

	@Override
	public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
		abandon();
		super.sendRedirect(location, sc, clearBuffer);
	}

	private void abandon() {
		this.buffering = false;
		this.abandoned = true;
		this.count = 0;
		this.buffer = new byte[0];
	}

	private void write(byte[] bytes, int offset, int length) throws IOException {
		if (!this.buffering) {
			getResponse().getOutputStream().write(bytes, offset, length);
			return;
		}
		if ((long) this.count + length > this.limit) {
			release();
			getResponse().getOutputStream().write(bytes, offset, length);
			return;
		}
		if (this.count + length > this.buffer.length) {
			this.buffer = Arrays.copyOf(this.buffer,
					Math.min(this.limit, Math.max(this.buffer.length * 2, this.count + length)));
		}
		System.arraycopy(bytes, offset, this.buffer, this.count, length);
		this.count += length;
	}

	private final class BufferStream extends ServletOutputStream {

		private final byte[] single = new byte[1];

		@Override
		public void write(int b) throws IOException {
			this.single[0] = (byte) b;
			CachingResponseWrapper.this.write(this.single, 0, 1);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			CachingResponseWrapper.this.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			if (!CachingResponseWrapper.this.buffering) {
				getResponse().getOutputStream().flush();
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			throw new UnsupportedOperationException("Non-blocking writes are not cached");
		}

	}

	/**
	 * The writer of a captured response. Templates write many short strings and escape
	 * text one char at a time: chars are collected here without locking and encoded in
	 * blocks, as the container's own writer does, then go where the response's bytes go.
	 */
	private final class CapturingWriter extends PrintWriter {

		private final CharsetEncoder encoder;

		private final char[] chars = new char[WRITER_BUFFER_SIZE];

		/**
		 * Where chars are encoded to; when it overflows, its bytes are sent and encoding
		 * goes on.
		 */
		private final ByteBuffer bytes = ByteBuffer.allocate(WRITER_BUFFER_SIZE * 2);

		private int count;

		private boolean failed;

		CapturingWriter(Charset charset) {
			super(Writer.nullWriter());
			this.encoder = charset.newEncoder()
				.onMalformedInput(CodingErrorAction.REPLACE)
				.onUnmappableCharacter(CodingErrorAction.REPLACE);
		}

		@Override
		public void write(int c) {
			room();
			this.chars[this.count++] = (char) c;
		}

		@Override
		public void write(char[] buffer, int offset, int length) {
			while (length > 0) {
				int n = Math.min(length, room());
				System.arraycopy(buffer, offset, this.chars, this.count, n);
				this.count += n;
				offset += n;
				length -= n;
			}
		}

		@Override
		public void write(char[] buffer) {
			write(buffer, 0, buffer.length);
		}

		@Override
		public void write(String text, int offset, int length) {
			while (length > 0) {
				int n = Math.min(length, room());
				text.getChars(offset, offset + n, this.chars, this.count);
				this.count += n;
				offset += n;
				length -= n;
			}
		}

		@Override
		public void write(String text) {
			write(text, 0, text.length());
		}

		@Override
		public void println() {
			write(System.lineSeparator());
		}

		/** Encode what is held; the half of a surrogate pair waits for its other half. */
		@Override
		public void flush() {
			encode(false);
		}

		@Override
		public void close() {
			finish();
		}

		@Override
		public boolean checkError() {
			return this.failed;
		}

		/**
		 * How many chars fit before the buffer is full, encoding what it holds when it
		 * is.
		 */
		private int room() {
			if (this.count == this.chars.length) {
				encode(false);
			}
			return this.chars.length - this.count;
		}

		/** Encode everything held: no more chars follow. */
		void finish() {
			encode(true);
		}

		private void encode(boolean endOfInput) {
			CharBuffer in = CharBuffer.wrap(this.chars, 0, this.count);
			while (this.encoder.encode(in, this.bytes, endOfInput).isOverflow()) {
				send();
			}
			if (endOfInput) {
				while (this.encoder.flush(this.bytes) == CoderResult.OVERFLOW) {
					send();
				}
				this.encoder.reset();
			}
			send();
			int left = in.remaining();
			System.arraycopy(this.chars, in.position(), this.chars, 0, left);
			this.count = left;
		}

		private void send() {
			if (this.bytes.position() > 0) {
				try {
					CachingResponseWrapper.this.write(this.bytes.array(), 0, this.bytes.position());
				}
				catch (IOException ex) {
					this.failed = true;
				}
				this.bytes.clear();
			}
		}

	}

}
