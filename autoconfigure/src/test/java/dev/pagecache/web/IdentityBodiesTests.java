package dev.pagecache.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity bodies of served pages, decompressed once per stored entry.
 */
class IdentityBodiesTests {

	private final IdentityBodies bodies = new IdentityBodies();

	@Test
	void sameEntryIsDecompressedOnce() {
		PageEntry entry = entry("<p>home</p>");
		byte[] first = this.bodies.of(entry);
		assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("<p>home</p>");
		assertThat(this.bodies.of(entry)).isSameAs(first);
	}

	@Test
	void equalEntriesReadAgainFromTheStoreAreEachDecompressed() {
		byte[] first = this.bodies.of(entry("<p>post</p>"));
		byte[] again = this.bodies.of(entry("<p>post</p>"));
		assertThat(again).isNotSameAs(first).isEqualTo(first);
	}

	@Test
	void manyPagesSharingSlotsEachGetTheirOwnBody() {
		List<PageEntry> entries = new ArrayList<>();
		for (int i = 0; i < 4 * IdentityBodies.SLOTS; i++) {
			entries.add(entry("<p>page " + i + "</p>"));
		}
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < entries.size(); i++) {
				assertThat(new String(this.bodies.of(entries.get(i)), StandardCharsets.UTF_8))
					.isEqualTo("<p>page " + i + "</p>");
			}
		}
	}

	@Test
	void largeBodyIsNotKept() {
		PageEntry entry = entry("x".repeat(IdentityBodies.MAX_IDENTITY_LENGTH + 1));
		byte[] first = this.bodies.of(entry);
		assertThat(first).hasSize(IdentityBodies.MAX_IDENTITY_LENGTH + 1);
		assertThat(this.bodies.of(entry)).isNotSameAs(first).isEqualTo(first);
	}

	private static PageEntry entry(String body) {
		byte[] identity = body.getBytes(StandardCharsets.UTF_8);
		return new PageEntry(200, List.of(), Gzip.compress(identity, identity.length, 6), identity.length, "\"e\"", 0,
				Set.of());
	}

}
