package dev.pagecache.testing;

import org.junit.jupiter.api.Test;

import static dev.pagecache.testing.PageCacheResultMatchers.pageCache;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Each of {@link PageCacheResultMatchers} passes when the cache did what it says, and
 * otherwise fails with a message that says what was expected.
 */
class PageCacheResultMatchersTests extends PostsSliceTest {

	@Test
	void missAndHitPassWhenTheHeaderSaysSo() throws Exception {
		this.mvc.perform(get("/posts/1")).andExpect(pageCache().miss());
		this.mvc.perform(get("/posts/1")).andExpect(pageCache().hit());
	}

	@Test
	void hitFailsOnAMissNamingTheRequestAndBothStatuses() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.mvc.perform(get("/posts/1")).andExpect(pageCache().hit()))
			.withMessage("Expected GET /posts/1 to be a HIT of the page cache, but it was a MISS");
	}

	@Test
	void missFailsOnAHit() throws Exception {
		this.mvc.perform(get("/posts/1"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.mvc.perform(get("/posts/1")).andExpect(pageCache().miss()))
			.withMessage("Expected GET /posts/1 to be a MISS of the page cache, but it was a HIT");
	}

	@Test
	void bypassPassesForARequestWithCredentials() throws Exception {
		this.mvc.perform(get("/posts/1").header("Authorization", "Basic YTpi")).andExpect(pageCache().bypass());
	}

	@Test
	void bypassFailsOnAPageWithoutTheHeaderSayingWhatIsMissing() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.mvc.perform(get("/about")).andExpect(pageCache().bypass()))
			.withMessage("Expected GET /about to be a BYPASS of the page cache, but the response has no "
					+ "X-Page-Cache header: is the handler a @CachePage one, and pagecache loaded "
					+ "(@AutoConfigurePageCache in a slice test)?");
	}

	@Test
	void dependsOnPassesForTheTagsOfThePage() throws Exception {
		this.mvc.perform(get("/posts/42"))
			.andExpect(pageCache().dependsOn("Post#42", "Post#42:children", "route:/posts/{id}"));
	}

	@Test
	void dependsOnFailsForATagThePageDoesNotCarry() throws Exception {
		this.mvc.perform(get("/posts/43"));
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.mvc.perform(get("/posts/42")).andExpect(pageCache().dependsOn("Post#43")))
			.withMessage("Expected the page of GET /posts/42 to depend on [Post#43], but no page of it in the cache "
					+ "carries it (X-Page-Cache: MISS; pages tagged Post#43: [GET http://localhost:80/posts/43])");
	}

	@Test
	void dependsOnFailsForAPageThatWasNotStored() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.mvc.perform(get("/posts/42").header("Authorization", "Basic YTpi"))
				.andExpect(pageCache().dependsOn("Post#42")))
			.withMessage("Expected the page of GET /posts/42 to depend on [Post#42], but no page of it in the cache "
					+ "carries it (X-Page-Cache: BYPASS; pages tagged Post#42: [])");
	}

	@Test
	void doesNotDependOnPassesForAnotherPostsTag() throws Exception {
		this.mvc.perform(get("/posts/42")).andExpect(pageCache().doesNotDependOn("Post#43"));
	}

	@Test
	void doesNotDependOnFailsForATagThePageCarries() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.mvc.perform(get("/posts/42")).andExpect(pageCache().doesNotDependOn("Post#42")))
			.withMessage("Expected the page of GET /posts/42 not to depend on Post#42, but it carries it: "
					+ "[GET http://localhost:80/posts/42]");
	}

}
