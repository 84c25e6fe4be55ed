package dev.pagecache.jpa;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.Post;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page that names the attributes it shows
 * ({@code @CachePage(attributes = "Post.title")}) is dropped by the changes of those
 * attributes, of its posts' membership and by changes that name no attribute, and kept
 * through changes of other attributes; a page that names none is dropped by them all.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=attributes")
@WithRedisServer(shared = true)
class AttributePrecisionTests {

	@LocalServerPort
	int port;

	@Autowired
	BlogService blog;

	@Autowired
	PageCache pageCache;

	Fixture fixture;

	BlogPages pages;

	String titles;

	List<String> both;

	@BeforeEach
	void warm() {
		this.fixture = this.blog.reset();
		this.pageCache.clear();
		this.pages = new BlogPages(this.port, this.fixture);
		this.titles = "/blog/categories/" + this.fixture.java() + "/titles";
		this.both = List.of(this.titles, this.pages.java());
		this.pages.warm(this.both);
	}

	@Test
	void changeOfAnotherAttributeKeepsThePage() {
		this.blog.fileUnder(this.fixture.post(1), this.blog.addTopic("Testing"));
		assertThat(this.pages.misses(this.both)).containsExactly(this.pages.java());
		assertThat(this.pageCache.pagesTagged("Post#" + this.fixture.post(1) + ".title")).hasSize(1);
	}

	@Test
	void changeOfAShownAttributeDropsThePage() {
		this.blog.retitle(this.fixture.post(1), "First, edited");
		assertThat(this.pages.misses(this.both)).containsExactlyInAnyOrderElementsOf(this.both);
		assertThat(this.pages.body(this.titles)).contains("First, edited");
	}

	@Test
	void newMemberDropsThePage() {
		this.blog.addPost(this.fixture.bob(), this.fixture.java(), "Fifth");
		assertThat(this.pages.misses(this.both)).containsExactlyInAnyOrderElementsOf(this.both);
		assertThat(this.pages.body(this.titles)).contains("Fifth");
	}

	@Test
	void entityInvalidatedAsAWholeDropsThePage() {
		this.pageCache.invalidateEntity(Post.class, this.fixture.post(2));
		assertThat(this.pages.misses(this.both)).containsExactlyInAnyOrderElementsOf(this.both);
	}

}
