package dev.pagecache.jpa;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.Image;
import dev.pagecache.jpa.blog.Media;
import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tags of entity hierarchies (every name an entity goes by) and of many-to-many
 * associations (the elements that enter or leave a collection, seen from the side that
 * does not own it).
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=blog")
@WithRedisServer(shared = true)
class HierarchyAndManyToManyTests {

	@LocalServerPort
	int port;

	@Autowired
	BlogService blog;

	@Autowired
	PageCache pageCache;

	@Autowired
	PageStore store;

	Fixture fixture;

	BlogPages pages;

	@BeforeEach
	void setUp() {
		this.fixture = this.blog.reset();
		this.pageCache.clear();
		recorder().reset();
		this.pages = new BlogPages(this.port, this.fixture);
	}

	@Test
	void entityOfASubtypeIsTaggedUnderEveryNameItGoesBy() {
		long image = this.blog.addImage("sunset", 640);
		assertThat(recorder().invalidations()).singleElement()
			.satisfies((invalidation) -> assertThat(invalidation.tags()).contains("Image#" + image, "Media#" + image,
					"Image", "Media"));
		String page = "/blog/media/" + image;
		this.pages.warm(List.of(page));
		assertThat(this.pageCache.pagesShowing(Media.class, image)).hasSize(1);
		assertThat(this.pageCache.pagesShowing(Image.class, image)).hasSize(1);
		assertThat(this.pageCache.pagesTagged("Image:*")).hasSize(1);
		this.pageCache.invalidateEntity(Image.class, image);
		assertThat(TestHttp.cacheResult(this.pages.get(page))).isEqualTo("MISS");
		this.blog.recaption(image, "sunrise");
		assertThat(this.pages.body(page)).isEqualTo("Image sunrise\n");
	}

	@Test
	void bulkUpdateOfARootTypeInvalidatesItsSubtypes() {
		long image = this.blog.addImage("sunset", 640);
		String page = "/blog/media/" + image;
		this.pages.warm(List.of(page));
		recorder().reset();
		this.blog.recaptionEveryMedia("untitled");
		assertThat(recorder().invalidations()).singleElement()
			.satisfies(
					(invalidation) -> assertThat(invalidation.tags()).contains("Media", "Media:*", "Image", "Image:*"));
		assertThat(this.pages.body(page)).isEqualTo("Image untitled\n");
	}

	@Test
	void postFiledUnderATopicRefreshesTheTopicPage() {
		long topic = this.blog.addTopic("Releases");
		this.blog.fileUnder(this.fixture.post(1), topic);
		String page = "/blog/topics/" + topic;
		this.pages.warm(List.of(page, this.pages.post(4)));
		recorder().reset();
		this.blog.fileUnder(this.fixture.post(3), topic);
		assertThat(recorder().invalidations()).singleElement()
			.satisfies((invalidation) -> assertThat(invalidation.tags()).contains("Post#" + this.fixture.post(3),
					"Topic#" + topic));
		assertThat(this.pages.body(page)).contains("| Third");
		assertThat(TestHttp.cacheResult(this.pages.get(this.pages.post(4)))).isEqualTo("HIT");
		this.blog.unfile(this.fixture.post(1), topic);
		assertThat(this.pages.body(page)).doesNotContain("| First").contains("| Third");
	}

	private RecordingPageStore recorder() {
		return (RecordingPageStore) this.store;
	}

}
