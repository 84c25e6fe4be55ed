package dev.pagecache.web;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The bytes of a body being captured, held in memory up to a limit: a page larger than
 * the limit is not stored, so bytes past it are refused rather than kept.
 *
 * @author pagecache
 */
final class CaptureBuffer {

	private static final int INITIAL_SIZE = 8192;

	private final int limit;

	private byte[] bytes;

	private int count;

	/**
	 * Create a buffer.
	 * @param limit the most bytes it holds
	 */
	CaptureBuffer(long limit) {
		this.limit = (int) Math.min(limit, Integer.MAX_VALUE - 8);
		this.bytes = new byte[Math.min(INITIAL_SIZE, this.limit)];
	}

	/**
	 * Append bytes, unless they would take the buffer past its limit.
	 * @param source the bytes
	 * @param offset where they start
	 * @param length how many there are
	 * @return {@code false}, holding nothing more, if they do not fit
	 */
	boolean append(byte[] source, int offset, int length) {
		if ((long) this.count + length > this.limit) {
			return false;
		}
		if (this.count + length > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes,
					Math.min(this.limit, Math.max(this.bytes.length * 2, this.count + length)));
		}
		System.arraycopy(source, offset, this.bytes, this.count, length);
		this.count += length;
		return true;
	}

	/**
	 * Write what is held.
	 * @param out where to
	 * @throws IOException on a write failure
	 */
	void writeTo(OutputStream out) throws IOException {
		if (this.count > 0) {
			out.write(this.bytes, 0, this.count);
		}
	}

	/** Forget what is held, as a reset response does. */
	void clear() {
		this.count = 0;
	}

	/**
	 * The bytes held, without a copy.
	 * @return the array, which may be longer than {@link #size()}
	 */
	byte[] array() {
		return this.bytes;
	}

	int size() {
		return this.count;
	}

}
