package dev.pagecache.testing;

import dev.pagecache.PageCache;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageStore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;

/**
 * {@link AutoConfigurePageCache} loads pagecache into a {@code @WebMvcTest} slice, which
 * leaves it out otherwise.
 */
class AutoConfigurePageCacheTests {

	@Nested
	@WebMvcTest(PostsApplication.PostController.class)
	@AutoConfigurePageCache
	class WithTheAnnotation {

		@Autowired
		MockMvc mvc;

		@Autowired
		ApplicationContext context;

		@Test
		void secondRequestOfACachePageHandlerIsServedFromTheCache() throws Exception {
			this.context.getBean(PageCache.class).clear();
			this.mvc.perform(get("/posts/7")).andExpect(header().string("X-Page-Cache", "MISS"));
			this.mvc.perform(get("/posts/7")).andExpect(header().string("X-Page-Cache", "HIT"));
		}

		@Test
		void pagesAreKeptInTheInMemoryStoreWithoutRedis() {
			assertThat(this.context.getBean(PageStore.class)).isInstanceOf(InMemoryPageStore.class);
		}

	}

	@Nested
	@WebMvcTest(PostsApplication.PostController.class)
	class WithoutTheAnnotation {

		@Autowired
		MockMvc mvc;

		@Autowired
		ApplicationContext context;

		@Test
		void sliceLeavesPagecacheOut() throws Exception {
			this.mvc.perform(get("/posts/7")).andExpect(header().doesNotExist("X-Page-Cache"));
			assertThat(this.context.getBeanProvider(PageCache.class).getIfAvailable()).isNull();
		}

	}

}
