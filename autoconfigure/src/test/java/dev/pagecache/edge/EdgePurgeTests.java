package dev.pagecache.edge;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link EdgePurger.Purge}: tag tokens and what a purge holds.
 *
 * @author pagecache
 */
class EdgePurgeTests {

	@Test
	void tokenIsBase32OfTheFirstEightBytesOfTheSha256OfTheTag() {
		// python3:
		// base64.b32encode(hashlib.sha256(b"Post#42").digest()[:8]).rstrip(b"=").lower()
		assertThat(EdgePurger.Purge.token("Post#42")).isEqualTo("hdbhj44gyp2qq");
		assertThat(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG)).isEqualTo("5fkiqxvaudl6a");
	}

	@Test
	void tokensAreThirteenCharactersWhateverTheTag() {
		for (String tag : List.of("", "Post", "feed:https://example.com/a very long tag " + "x".repeat(5000),
				"Café#1")) {
			assertThat(EdgePurger.Purge.token(tag)).hasSize(13).matches("[a-z2-7]{13}");
		}
		assertThat(EdgePurger.Purge.token("Post#1")).isNotEqualTo(EdgePurger.Purge.token("Post#2"));
	}

	@Test
	void purgeOfTagsHoldsTheirTokens() {
		EdgePurger.Purge purge = EdgePurger.Purge.ofTags(List.of("Post#42", "Post"));
		assertThat(purge.tags()).containsExactlyInAnyOrder(EdgePurger.Purge.token("Post#42"),
				EdgePurger.Purge.token("Post"));
		assertThat(purge.urls()).isEmpty();
		assertThat(purge.isEverything()).isFalse();
	}

	@Test
	void everythingPurgesTheTokenOfEveryPageAndEveryUrl() {
		EdgePurger.Purge everything = EdgePurger.Purge.everything();
		assertThat(everything.isEverything()).isTrue();
		assertThat(everything.tags()).containsExactly(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG));
		assertThat(everything.urls()).containsExactly(EdgePurger.Purge.EVERYTHING_URL);
	}

	@Test
	void anAnonymousPurgerIsNamedByItsClassFullName() {
		EdgePurger purger = new EdgePurger() {

			@Override
			public boolean purgesByTag() {
				return false;
			}

			@Override
			public void purge(EdgePurger.Purge purge) {
			}

		};
		assertThat(purger.name()).isEqualTo(purger.getClass().getName()).startsWith(EdgePurgeTests.class.getName());
	}

	@Test
	void urlMustBeAPath() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new EdgePurger.Purge(Set.of(), Set.of("http://x/posts/1")))
			.withMessageContaining("must start with '/'");
	}

}
