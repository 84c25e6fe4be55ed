package dev.pagecache.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

/**
 * {@link PageInvalidations} passes when an action invalidates the pages it names and
 * keeps the others, and otherwise fails naming each page that fared otherwise.
 */
class PageInvalidationsTests extends PostsSliceTest {

	@Test
	void passesWhenTheEditedPostIsInvalidatedAndAnotherKept() throws Exception {
		PageInvalidations.with(this.mvc)
			.invalidated("/posts/1")
			.kept("/posts/2")
			.kept(get("/posts/3").header("Accept-Language", "de"))
			.whenPerforming(post("/posts/1"))
			.andExpect(content().string("Edited 1"));
	}

	@Test
	void failsNamingEveryPageThatFaredOtherwise() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> PageInvalidations.with(this.mvc)
				.invalidated("/posts/2")
				.kept("/posts/1")
				.whenPerforming(post("/posts/1")))
			.withMessage("After POST /posts/1, expected GET /posts/2 to be invalidated, but it was still cached "
					+ "(X-Page-Cache: HIT); expected GET /posts/1 to be kept, but it was invalidated (X-Page-Cache: MISS)");
	}

	@Test
	void failsForAPageThatIsNotCachedBeforeTheAction() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> PageInvalidations.with(this.mvc).invalidated("/about").whenPerforming(post("/posts/1")))
			.withMessage("Expected GET /about to be cached before the action, but a second request was not served "
					+ "from the cache (X-Page-Cache: null, HTTP 200)");
	}

}
