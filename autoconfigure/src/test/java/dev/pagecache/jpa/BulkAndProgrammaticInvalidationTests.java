package dev.pagecache.jpa;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.Comment;
import dev.pagecache.jpa.blog.Post;
import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes that change rows without entity events: bulk JPQL and native statements run
 * through Hibernate invalidate the types of the tables they write; SQL that Hibernate
 * never sees needs the programmatic API, and pages that read data without loading
 * entities declare their dependencies themselves.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=blog")
@WithRedisServer(shared = true)
class BulkAndProgrammaticInvalidationTests {

	@LocalServerPort
	int port;

	@Autowired
	BlogService blog;

	@Autowired
	PageCache pageCache;

	@Autowired
	PageStore store;

	@Autowired
	JdbcTemplate jdbc;

	Fixture fixture;

	BlogPages pages;

	@BeforeEach
	void warmEveryPage() {
		this.fixture = this.blog.reset();
		this.pageCache.clear();
		this.pages = new BlogPages(this.port, this.fixture);
		this.pages.warm(this.pages.all());
		recorder().reset();
	}

	@Test
	void bulkJpqlUpdateOfPostsRefreshesEveryPageThatShowsAPost() {
		assertThat(this.blog.appendToEveryTitle(" (updated)")).isEqualTo(4);
		assertThat(recorder().invalidations()).singleElement()
			.satisfies((invalidation) -> assertThat(invalidation.tags()).contains("Post", "Post:*"));
		for (String path : this.pages.all()) {
			assertThat(this.pages.body(path)).as(path).contains(" (updated)");
		}
	}

	@Test
	void bulkJpqlUpdateOfCommentsDropsOnlyThePagesThatShowedSomeComment() {
		this.blog.appendToCommentsOf(this.fixture.post(1), "!");
		assertThat(recorder().invalidations()).singleElement()
			.satisfies((invalidation) -> assertThat(invalidation.tags()).containsOnly("Comment", "Comment:*"));
		// post 3 has no comment and the listing and categories count none: they stay
		// cached
		assertThat(this.pages.misses(this.pages.all())).containsExactlyInAnyOrder(this.pages.post(1),
				this.pages.post(2), this.pages.post(4));
		assertThat(this.pages.body(this.pages.post(1))).contains("c1 on first!").contains("c2 on first!");
	}

	@Test
	void nativeUpdateRunThroughHibernateRefreshesThePages() {
		this.blog.nativeRetitle(this.fixture.post(3), "Third, natively");
		assertThat(recorder().invalidations()).singleElement()
			.satisfies((invalidation) -> assertThat(invalidation.tags()).contains("Post", "Post:*"));
		assertThat(this.pages.body(this.pages.post(3))).contains("Third, natively");
		assertThat(this.pages.body(this.pages.home())).contains("| Third, natively |");
		assertThat(this.pages.body(this.pages.news())).contains("| Third, natively");
	}

	@Test
	void jdbcWriteIsInvisibleUntilTheTypeIsInvalidated() {
		this.jdbc.update("update blog_comments set text = ? where id = ?", "c3 via JDBC", this.fixture.comment(3));
		assertThat(TestHttp.cacheResult(this.pages.get(this.pages.post(2)))).as("Hibernate saw nothing")
			.isEqualTo("HIT");
		this.pageCache.invalidateType(Comment.class);
		assertThat(this.pages.body(this.pages.post(2))).contains("c3 via JDBC");
	}

	@Test
	void jdbcWriteOfOneEntityIsRefreshedByInvalidatingTheEntity() {
		this.jdbc.update("update blog_posts set title = ? where id = ?", "Fourth via JDBC", this.fixture.post(4));
		this.pageCache.invalidateEntity(Post.class, this.fixture.post(4));
		assertThat(this.pages.misses(this.pages.all())).containsExactlyInAnyOrder(this.pages.home(), this.pages.post(4),
				this.pages.news());
		assertThat(this.pages.body(this.pages.home())).contains("| Fourth via JDBC |");
		assertThat(this.pages.body(this.pages.post(4))).contains("Fourth via JDBC");
	}

	@Test
	void pageThatCountsWithANativeQueryDependsOnWhatItDeclared() {
		String stats = "/blog/stats";
		this.pages.warm(List.of(stats));
		assertThat(this.pages.body(stats)).isEqualTo("comments: 4\n");
		this.blog.addComment(this.fixture.post(3), "one more");
		assertThat(this.pages.body(stats)).isEqualTo("comments: 5\n");
	}

	private RecordingPageStore recorder() {
		return (RecordingPageStore) this.store;
	}

}
