package dev.pagecache.edge;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EdgePurge}: tag tokens and what a purge holds.
 *
 * @author pagecache
 */
class EdgePurgeTests {

	@Test
	void tokenIsBase32OfTheFirstEightBytesOfTheSha256OfTheTag() {
		// python3:
		// base64.b32encode(hashlib.sha256(b"Post#42").digest()[:8]).rstrip(b"=").lower()
		assertThat(EdgePurge.token("Post#42")).isEqualTo("hdbhj44gyp2qq");
		assertThat(EdgePurge.token(EdgePurge.ALL_PAGES_TAG)).isEqualTo("5fkiqxvaudl6a");
	}

	@Test
	void tokensAreThirteenCharactersWhateverTheTag() {
		for (String tag : List.of("", "Post", "feed:https://example.com/a very long tag " + "x".repeat(5000),
				"Café#1")) {
			assertThat(EdgePurge.token(tag)).hasSize(13).matches("[a-z2-7]{13}");
		}
		assertThat(EdgePurge.token("Post#1")).isNotEqualTo(EdgePurge.token("Post#2"));
	}

	@Test
	void purgeOfTagsHoldsTheirTokens() {
		EdgePurge purge = EdgePurge.ofTags(List.of("Post#42", "Post"));
		assertThat(purge.tags()).containsExactlyInAnyOrder(EdgePurge.token("Post#42"), EdgePurge.token("Post"));
		assertThat(purge.urls()).isEmpty();
		assertThat(purge.isEverything()).isFalse();
	}

	@Test
	void everythingPurgesTheTokenOfEveryPageAndEveryUrl() {
		EdgePurge everything = EdgePurge.everything();
		assertThat(everything.isEverything()).isTrue();
		assertThat(everything.tags()).containsExactly(EdgePurge.token(EdgePurge.ALL_PAGES_TAG));
		assertThat(everything.urls()).containsExactly(EdgePurge.EVERYTHING_URL);
	}

	@Test
	void urlMustBeAPath() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EdgePurge(Set.of(), Set.of("http://x/posts/1")))
			.withMessageContaining("must start with '/'");
	}

}
