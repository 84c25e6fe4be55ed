package dev.pagecache.sample;

import java.net.http.HttpResponse;

import dev.pagecache.PageCache;
import dev.pagecache.test.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public pages come from the cache, and every write shows on the next request. Each
 * test starts from an empty cache and works on posts of its own.
 *
 * @author pagecache
 */
@BlogTest
class PageCacheTests {

	@LocalServerPort
	private int port;

	@Autowired
	private PageCache pageCache;

	@Autowired
	private PostRepository posts;

	private TestHttp<String> http;

	@BeforeEach
	void emptyTheCache() {
		this.http = TestHttp.text(this.port);
		this.pageCache.clear();
	}

	@Test
	void publicPagesAreAMissThenAHit() {
		for (String path : new String[] { "/", "/posts/31", "/categories/travel", "/authors/2" }) {
			HttpResponse<String> first = this.http.get(path);
			HttpResponse<String> second = this.http.get(path);
			assertThat(TestHttp.cacheResult(first)).as(path).isEqualTo("MISS");
			assertThat(TestHttp.cacheResult(second)).as(path).isEqualTo("HIT");
			assertThat(second.body()).as(path).isEqualTo(first.body());
		}
	}

	@Test
	void commentShowsAtOnceOnItsPostPageAndInTheHomePageSidebar() {
		warm("/posts/32");
		warm("/");
		HttpResponse<String> commented = this.http.postForm("/posts/32/comments",
				TestHttp.fields("author", "Quinn", "body", "Fresh, not cached."), "Sec-Fetch-Site", "same-origin");
		assertThat(commented.statusCode()).isEqualTo(303);
		HttpResponse<String> post = this.http.get("/posts/32");
		assertThat(TestHttp.cacheResult(post)).isEqualTo("MISS");
		assertThat(post.body()).contains("Fresh, not cached.");
		HttpResponse<String> home = this.http.get("/");
		assertThat(TestHttp.cacheResult(home)).isEqualTo("MISS");
		assertThat(home.body()).contains("Fresh, not cached.");
	}

	@Test
	void commentOnAnotherPostDoesNotInvalidateThisPage() {
		warm("/posts/33");
		HttpResponse<String> commented = this.http.postForm("/posts/34/comments",
				TestHttp.fields("author", "Quinn", "body", "On the other post."), "Sec-Fetch-Site", "same-origin");
		assertThat(commented.statusCode()).isEqualTo(303);
		assertThat(TestHttp.cacheResult(this.http.get("/posts/33"))).isEqualTo("HIT");
	}

	@Test
	void editedPostShowsAtOnceOnEveryPageThatListsIt() {
		Post post = this.posts.findWithAuthorAndCategoryById(40L).orElseThrow();
		String oldCategory = "/categories/" + post.getCategory().getSlug();
		String newSlug = post.getCategory().getSlug().equals("books") ? "cooking" : "books";
		long newCategoryId = post.getCategory().getSlug().equals("books") ? 2 : 1;
		String[] pages = { "/posts/40", "/", oldCategory, "/categories/" + newSlug,
				"/authors/" + post.getAuthor().getId() };
		for (String page : pages) {
			warm(page);
		}
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> editor = this.http.get("/admin/posts/40/edit", "Cookie", session);
		HttpResponse<String> saved = this.http.postForm("/admin/posts/40/edit",
				TestHttp.fields("title", "A title changed by the editor", "body", post.getBody(), "category",
						String.valueOf(newCategoryId), "_csrf", BlogLogin.csrfToken(editor)),
				"Cookie", session);
		assertThat(saved.statusCode()).isEqualTo(303);
		for (String page : pages) {
			HttpResponse<String> response = this.http.get(page);
			assertThat(TestHttp.cacheResult(response)).as(page).isEqualTo("MISS");
			if (page.equals(oldCategory)) {
				assertThat(response.body()).as(page).doesNotContain("A title changed by the editor");
			}
			else {
				assertThat(response.body()).as(page).contains("A title changed by the editor");
			}
		}
	}

	@Test
	void signedInAdminBypassesTheCache() {
		warm("/posts/35");
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> response = this.http.get("/posts/35", "Cookie", session);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(TestHttp.cacheResult(response)).isEqualTo("BYPASS");
	}

	private void warm(String path) {
		this.http.get(path);
		assertThat(TestHttp.cacheResult(this.http.get(path))).as(path).isEqualTo("HIT");
	}

}
