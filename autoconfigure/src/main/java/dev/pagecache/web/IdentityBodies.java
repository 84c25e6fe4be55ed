package dev.pagecache.web;

import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.pagecache.store.PageEntry;

/**
 * The identity bodies of the pages served last, kept decompressed, so that a client that
 * does not accept gzip costs a page one decompression rather than one per hit. Slots are
 * picked by the identity of the stored gzip body: the near cache and the in-memory store
 * hand out the same entry at every hit, while an entry read from Redis is a new one each
 * time and is simply decompressed. {@value #SLOTS} slots, bodies up to
 * {@value #MAX_IDENTITY_LENGTH} bytes: at most 16 MB, and the gzip bodies they were made
 * from (kept alive by their slot after the store dropped them). A store must not change
 * an entry's gzip body once it handed it out ({@link PageEntry} says so).
 *
 * @author pagecache
 */
final class IdentityBodies {

	static final int SLOTS = 64;

	static final int MAX_IDENTITY_LENGTH = 256 * 1024;

	private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

	/**
	 * The identity body of a stored page. The array is shared: never write to it.
	 * @param entry the page
	 * @return its body, uncompressed
	 */
	byte[] of(PageEntry entry) {
		byte[] gzipped = entry.gzippedBody();
		if (entry.identityLength() > MAX_IDENTITY_LENGTH) {
			return Gzip.decompress(gzipped, entry.identityLength());
		}
		int index = System.identityHashCode(gzipped) & (SLOTS - 1);
		Slot slot = this.slots.get(index);
		if (slot != null && slot.gzipped() == gzipped) {
			return slot.identity();
		}
		byte[] identity = Gzip.decompress(gzipped, entry.identityLength());
		this.slots.set(index, new Slot(gzipped, identity));
		return identity;
	}

	private record Slot(byte[] gzipped, byte[] identity) {
	}

}
