package dev.pagecache.testing;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application of the slice tests: posts cached by id, an edit that invalidates its
 * post through {@link PageCache}, and a page that is not cached.
 */
@SpringBootConfiguration
class PostsApplication {

	@RestController
	static class PostController {

		private final ObjectProvider<PageCache> pageCache;

		PostController(ObjectProvider<PageCache> pageCache) {
			this.pageCache = pageCache;
		}

		@GetMapping("/posts/{id}")
		@CachePage(tags = "'Post#' + #id")
		String post(@PathVariable long id) {
			return "Post " + id;
		}

		@PostMapping("/posts/{id}")
		String edit(@PathVariable long id) {
			this.pageCache.ifAvailable((cache) -> cache.invalidateTags("Post#" + id));
			return "Edited " + id;
		}

		@GetMapping("/about")
		String about() {
			return "Not cached";
		}

	}

}
