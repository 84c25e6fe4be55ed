package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RedisKeys}: readable names, one hash tag, and index members that map
 * back to their page in Java as in Lua.
 *
 * @author pagecache
 */
class RedisKeysTests {

	private final RedisKeys keys = new RedisKeys("ns");

	@Test
	void keysOfAPageAreReadableAndShareTheNamespacesHashTag() {
		assertThat(string(this.keys.page("/posts/1"))).isEqualTo("{ns}:page:/posts/1");
		byte[][] pageAndMissReason = this.keys.pageAndMissReason("/posts/1");
		assertThat(string(pageAndMissReason[0])).isEqualTo("{ns}:page:/posts/1");
		assertThat(string(pageAndMissReason[1])).isEqualTo("{ns}:miss-reason:page:/posts/1");
		assertThat(string(this.keys.renderLease("/posts/1"))).isEqualTo("{ns}:render-lease:page:/posts/1");
		assertThat(string(this.keys.tagIndex("Xq3mX9a_E2lT0pVb", "Post#1")))
			.isEqualTo("{ns}:tag:Xq3mX9a_E2lT0pVb:Post#1");
	}

	@Test
	void keysOfTheNamespaceAreReadable() {
		assertThat(string(this.keys.sequence())).isEqualTo("{ns}:sequence");
		assertThat(string(this.keys.epoch())).isEqualTo("{ns}:epoch");
		assertThat(string(this.keys.replication())).isEqualTo("{ns}:replication");
		assertThat(string(this.keys.nearCacheInstances())).isEqualTo("{ns}:near-cache:instances");
		assertThat(string(this.keys.nearCacheAcknowledged())).isEqualTo("{ns}:near-cache:acknowledged");
		assertThat(string(this.keys.nearCacheChannel())).isEqualTo("{ns}:near-cache");
		assertThat(string(this.keys.hot())).isEqualTo("{ns}:hot");
		assertThat(string(this.keys.hotDecayed())).isEqualTo("{ns}:hot-decayed");
	}

	@Test
	void longKeyIsDigestedToABoundedPageId() {
		String key = "/search?q=" + "x".repeat(300);
		String page = string(this.keys.page(key));
		assertThat(page).startsWith("{ns}:page-sha256:").hasSize("{ns}:".length() + RedisKeys.DIGESTED_PAGE_ID_LENGTH);
		assertThat(string(this.keys.pageAndMissReason(key)[1])).isEqualTo("{ns}:miss-reason:" + page.substring(5));
	}

	@Test
	void indexMemberStartsWithThePageIdAndGivesTheKeyBack() {
		String shortKey = "/posts/1";
		String longKey = "/search?q=" + "x".repeat(300);
		byte[] shortMember = this.keys.member(shortKey);
		byte[] longMember = this.keys.member(longKey);
		assertThat(string(shortMember)).isEqualTo(RedisKeys.pageId(shortKey));
		assertThat(string(longMember).substring(0, RedisKeys.DIGESTED_PAGE_ID_LENGTH))
			.isEqualTo(RedisKeys.pageId(longKey));
		assertThat(RedisKeys.keyOf(shortMember)).isEqualTo(shortKey);
		assertThat(RedisKeys.keyOf(longMember)).isEqualTo(longKey);
	}

	@Test
	void readableKeyThatLooksLikeADigestStaysReadable() {
		String key = "-sha256:" + "x".repeat(43);
		assertThat(RedisKeys.pageId(key)).isEqualTo("page:" + key);
		assertThat(RedisKeys.keyOf(this.keys.member(key))).isEqualTo(key);
	}

	@Test
	void luaConstantsAreTheNamesJavaUses() {
		assertThat(RedisKeys.luaConstants()).contains("local DIGESTED_PAGE = 'page-sha256:'")
			.contains("local DIGESTED_PAGE_ID_LENGTH = " + ("page-sha256:".length() + 43))
			.contains("local MISS_REASON = 'miss-reason:'")
			.contains("local TAG_INDEX = 'tag:'");
	}

	@Test
	void namespaceWithBracesIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("a}b")).withMessageContaining("hash tag");
	}

	private static String string(byte[] key) {
		return new String(key, StandardCharsets.UTF_8);
	}

}
