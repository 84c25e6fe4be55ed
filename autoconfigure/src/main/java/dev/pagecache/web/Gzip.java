package dev.pagecache.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * The gzip encoding of stored bodies: a page is compressed once, when it is stored, and
 * decompressed only for a client that does not accept gzip.
 *
 * @author pagecache
 */
final class Gzip {

	private static final int HEADER = 10;

	private static final int TRAILER = 8;

	private Gzip() {
	}

	/**
	 * Compress a body.
	 * @param body the body (the array may be longer than {@code length})
	 * @param length the length of the body
	 * @param level the compression level, from {@link Deflater#BEST_SPEED} to
	 * {@link Deflater#BEST_COMPRESSION}
	 * @return the gzip member
	 */
	static byte[] compress(byte[] body, int length, int level) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
		try (GZIPOutputStream gzip = new LeveledGzipOutputStream(out, level)) {
			gzip.write(body, 0, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * Decompress a stored body. The gzip member that {@link #compress} writes (a 10-byte
	 * header without optional fields, then one deflate stream and its trailer) is
	 * inflated straight into an array of the recorded length and checked against the
	 * trailer's CRC; any other member is read with {@link GZIPInputStream}.
	 * @param gzipped the gzip member
	 * @param identityLength the length of the body
	 * @return the body
	 */
	static byte[] decompress(byte[] gzipped, int identityLength) {
		if (gzipped.length < HEADER + TRAILER || gzipped[0] != (byte) 0x1f || gzipped[1] != (byte) 0x8b
				|| gzipped[2] != Deflater.DEFLATED || gzipped[3] != 0) {
			return decompressMember(gzipped, identityLength);
		}
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(gzipped, HEADER, gzipped.length - HEADER);
			byte[] body = new byte[identityLength];
			int length = inflate(inflater, body);
			CRC32 crc = new CRC32();
			crc.update(body, 0, length);
			int trailer = gzipped.length - TRAILER;
			if (length != identityLength || !inflater.finished() || inflater.getRemaining() != TRAILER
					|| (int) crc.getValue() != littleEndianInt(gzipped, trailer)
					|| identityLength != littleEndianInt(gzipped, trailer + 4)) {
				throw new UncheckedIOException(new IOException("Entry body does not match its gzip trailer"));
			}
			return body;
		}
		catch (DataFormatException ex) {
			throw new UncheckedIOException(new IOException("Entry body is not valid gzip", ex));
		}
		finally {
			inflater.end();
		}
	}

	private static int inflate(Inflater inflater, byte[] body) throws DataFormatException {
		int length = 0;
		while (!inflater.finished()) {
			int inflated = inflater.inflate(body, length, body.length - length);
			if (inflated == 0 && (length == body.length || inflater.needsInput() || inflater.needsDictionary())) {
				break;
			}
			length += inflated;
		}
		return length;
	}

	private static int littleEndianInt(byte[] bytes, int offset) {
		return (bytes[offset] & 0xff) | (bytes[offset + 1] & 0xff) << 8 | (bytes[offset + 2] & 0xff) << 16
				| (bytes[offset + 3] & 0xff) << 24;
	}

	private static byte[] decompressMember(byte[] gzipped, int identityLength) {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped), 8192)) {
			byte[] body = in.readNBytes(identityLength);
			if (body.length != identityLength) {
				throw new IOException("Entry body is shorter than its recorded length");
			}
			return body;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A {@link GZIPOutputStream} at a given level (the JDK's constructors fix the
	 * default, 6).
	 */
	private static final class LeveledGzipOutputStream extends GZIPOutputStream {

		LeveledGzipOutputStream(ByteArrayOutputStream out, int level) throws IOException {
			super(out, 8192);
			this.def.setLevel(level);
		}

	}

}
