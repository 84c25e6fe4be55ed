package dev.pagecache.testing;

import dev.pagecache.PageCache;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A {@code @WebMvcTest} of the posts with pagecache loaded, starting each test with an
 * empty cache.
 */
@WebMvcTest(PostsApplication.PostController.class)
@AutoConfigurePageCache
abstract class PostsSliceTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	PageCache cache;

	@BeforeEach
	void clearCache() {
		this.cache.clear();
	}

}
