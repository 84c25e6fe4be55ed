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

/**
 * The writer of a captured response. Templates write many short strings and escape text
 * one char at a time: chars are collected here without locking and encoded in blocks, as
 * the container's own writer does, then go to a {@link ByteSink}.
 *
 * @author pagecache
 */
final class CaptureWriter extends PrintWriter {

	private static final int BUFFER_SIZE = 8192;

	private final CharsetEncoder encoder;

	private final ByteSink sink;

	private final char[] chars = new char[BUFFER_SIZE];

	/**
	 * Where chars are encoded to; when it overflows, its bytes are sent and encoding goes
	 * on.
	 */
	private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE * 2);

	private int count;

	private boolean failed;

	/**
	 * Create a writer.
	 * @param charset the response's character encoding
	 * @param sink where the encoded bytes go
	 */
	CaptureWriter(Charset charset, ByteSink sink) {
		super(Writer.nullWriter());
		this.sink = sink;
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

	/** Encode everything held: no more chars follow. */
	void finish() {
		encode(true);
	}

	/** Forget the chars written and not yet encoded, as a reset of the response does. */
	void discard() {
		this.count = 0;
		this.bytes.clear();
		this.encoder.reset();
	}

	/**
	 * How many chars fit before the buffer is full, encoding what it holds when it is.
	 */
	private int room() {
		if (this.count == this.chars.length) {
			encode(false);
		}
		return this.chars.length - this.count;
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
				this.sink.write(this.bytes.array(), 0, this.bytes.position());
			}
			catch (IOException ex) {
				this.failed = true;
			}
			this.bytes.clear();
		}
	}

	/**
	 * Where encoded bytes go: the capturing response, which keeps them or passes them on.
	 */
	@FunctionalInterface
	interface ByteSink {

		void write(byte[] bytes, int offset, int length) throws IOException;

	}

}
