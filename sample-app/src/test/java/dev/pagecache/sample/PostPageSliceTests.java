package dev.pagecache.sample;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.pagecache.testing.AutoConfigurePageCache;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static dev.pagecache.testing.PageCacheResultMatchers.pageCache;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A slice test of the post page with pagecache loaded, as a user of pagecache-test writes
 * one: the repositories are mocks, the page cache is real (in memory).
 */
@WebMvcTest(BlogController.class)
@AutoConfigurePageCache
@Import({ SecurityConfiguration.class, DisplayDates.class })
class PostPageSliceTests {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	PostRepository posts;

	@MockitoBean
	CommentRepository comments;

	@MockitoBean
	CategoryRepository categories;

	@MockitoBean
	AuthorRepository authors;

	@Test
	void postPageIsServedFromTheCacheAndDependsOnItsPost() throws Exception {
		Post post = new Post("Caching pages", "Whole pages, kept fresh.", Instant.parse("2026-01-01T10:00:00Z"),
				new Category("Spring", "spring"), new Author("Ada", "Writes."));
		given(this.posts.findWithAuthorAndCategoryById(42L)).willReturn(Optional.of(post));
		given(this.comments.findByPostOrderByCreatedAtAscIdAsc(any())).willReturn(List.of());
		this.mvc.perform(get("/posts/42"))
			.andExpect(status().isOk())
			.andExpect(pageCache().miss())
			.andExpect(pageCache().dependsOn("Post#42", "Post#42:children"))
			.andExpect(pageCache().doesNotDependOn("Post#43"));
		this.mvc.perform(get("/posts/42"))
			.andExpect(pageCache().hit())
			.andExpect(content().string(org.hamcrest.Matchers.containsString("Caching pages")));
		verify(this.posts, times(1)).findWithAuthorAndCategoryById(42L);
	}

}
