package dev.pagecache.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;

/**
 * The binary format of {@link PageEntry}, our own and versioned (no Java serialization),
 * so that instances of different versions can share a store during a rolling deploy: an
 * entry in a format this version does not know decodes to {@code null}, a miss.
 * <p>
 * Format version 1: the magic bytes {@code 'P' 'C'}, the version byte, then the stored-at
 * time (int64), the status (int16), the header count (int32) and each header's name and
 * value, the ETag, the tag count and each tag, the identity length (int32), the gzipped
 * body length (int32) and the body. Strings are UTF-8 with an int32 length prefix.
 *
 * @author pagecache
 */
final class PageEntryCodec {

	static final byte MAGIC_0 = 'P';

	static final byte MAGIC_1 = 'C';

	/** The format version this codec writes. */
	public static final byte VERSION = 1;

	private static final int MAX_COUNT = 1 << 16;

	private PageEntryCodec() {
	}

	/**
	 * Encode an entry in the current format.
	 * @param entry the entry
	 * @return the bytes
	 */
	public static byte[] encode(PageEntry entry) {
		return encode(entry, 0);
	}

	/**
	 * Encode an entry in the current format after room for a header of the caller's own,
	 * so that a store that prefixes its values does not copy the encoded entry again.
	 * @param entry the entry
	 * @param offset how many leading bytes to leave (zero) for the caller to fill
	 * @return the bytes, the entry starting at {@code offset}
	 */
	public static byte[] encode(PageEntry entry, int offset) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(offset + entry.gzippedBody().length + 512);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.write(new byte[offset]);
			out.writeByte(MAGIC_0);
			out.writeByte(MAGIC_1);
			out.writeByte(VERSION);
			out.writeLong(entry.storedAt());
			out.writeShort(entry.status());
			out.writeInt(entry.headers().size());
			for (PageEntry.Header header : entry.headers()) {
				writeString(out, header.name());
				writeString(out, header.value());
			}
			writeString(out, entry.etag());
			out.writeInt(entry.tags().size());
			for (String tag : entry.tags()) {
				writeString(out, tag);
			}
			out.writeInt(entry.identityLength());
			out.writeInt(entry.gzippedBody().length);
			out.write(entry.gzippedBody());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Decode an entry.
	 * @param bytes the bytes, as written by {@link #encode(PageEntry)} of any version
	 * @return the entry, or {@code null} if the bytes are not in a format this version
	 * reads
	 */
	public static @Nullable PageEntry decode(byte @Nullable [] bytes) {
		return decode(bytes, 0);
	}

	/**
	 * Decode an entry that follows a header of the caller's own, without copying it out
	 * first.
	 * @param bytes the bytes, the entry as written by {@link #encode(PageEntry, int)} of
	 * any version
	 * @param offset where the entry starts
	 * @return the entry, or {@code null} if the bytes are not in a format this version
	 * reads
	 */
	public static @Nullable PageEntry decode(byte @Nullable [] bytes, int offset) {
		if (bytes == null || offset < 0 || bytes.length - offset < 3 || bytes[offset] != MAGIC_0
				|| bytes[offset + 1] != MAGIC_1 || bytes[offset + 2] != VERSION) {
			return null;
		}
		try (DataInputStream in = new DataInputStream(
				new ByteArrayInputStream(bytes, offset + 3, bytes.length - offset - 3))) {
			long storedAt = in.readLong();
			int status = in.readShort();
			int headerCount = count(in.readInt());
			List<PageEntry.Header> headers = new ArrayList<>(headerCount);
			for (int i = 0; i < headerCount; i++) {
				headers.add(new PageEntry.Header(readString(in), readString(in)));
			}
			String etag = readString(in);
			int tagCount = count(in.readInt());
			Set<String> tags = new LinkedHashSet<>(tagCount * 2);
			for (int i = 0; i < tagCount; i++) {
				tags.add(readString(in));
			}
			int identityLength = in.readInt();
			byte[] body = new byte[length(in.readInt(), in)];
			in.readFully(body);
			return new PageEntry(status, headers, body, identityLength, etag, storedAt, tags);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	private static void writeString(DataOutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.writeInt(bytes.length);
		out.write(bytes);
	}

	private static String readString(DataInputStream in) throws IOException {
		byte[] bytes = new byte[length(in.readInt(), in)];
		in.readFully(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static int count(int count) throws IOException {
		if (count < 0 || count > MAX_COUNT) {
			throw new IOException("Corrupt count " + count);
		}
		return count;
	}

	private static int length(int length, DataInputStream in) throws IOException {
		if (length < 0 || length > in.available()) {
			throw new IOException("Corrupt length " + length);
		}
		return length;
	}

}
