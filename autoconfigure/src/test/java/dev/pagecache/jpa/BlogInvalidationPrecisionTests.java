package dev.pagecache.jpa;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.jpa.blog.RecordingPageStore.Invalidation;
import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of write of the blog drops exactly the pages that show what it changed,
 * counted through the store: the store's own count of dropped pages, and which pages are
 * misses afterwards. Seven pages are warm before each write: the listing of the latest
 * three posts (post 1 is not on it) with their comment counts, the four posts, and the
 * two categories (posts 1 and 2 in Java, 3 and 4 in News).
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=blog")
@WithRedisServer(shared = true)
class BlogInvalidationPrecisionTests {

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
	void warmEveryPage() {
		this.fixture = this.blog.reset();
		this.pageCache.clear();
		this.pages = new BlogPages(this.port, this.fixture);
		this.pages.warm(this.pages.all());
		recorder().reset();
	}

	@Test
	void newCommentRefreshesItsPostAndThePagesThatListItWithItsCount() {
		Set<String> dropped = droppedBy(() -> this.blog.addComment(this.fixture.post(2), "a new comment"));
		// the category lists post 2 but shows no comments: it read none, so it stays
		assertThat(dropped).containsExactlyInAnyOrder(this.pages.home(), this.pages.post(2));
		assertThat(this.pages.body(this.pages.post(2))).contains("a new comment").contains("2 comments");
		assertThat(this.pages.body(this.pages.home())).contains("| Second | 2 comments");
	}

	@Test
	void commentOnAPostThatIsNotListedDoesNotInvalidateTheListing() {
		Set<String> dropped = droppedBy(() -> this.blog.addComment(this.fixture.post(1), "on the first post"));
		assertThat(dropped).containsExactly(this.pages.post(1));
		assertThat(this.pages.body(this.pages.post(1))).contains("on the first post");
	}

	@Test
	void newCommentOnAPostWithoutCommentsRefreshesThePagesThatCountedNone() {
		this.blog.deleteComment(this.fixture.comment(4));
		this.pages.warm(this.pages.all());
		recorder().reset();
		// the listing's count query returned no row for post 4: it read the comments all
		// the same
		Set<String> dropped = droppedBy(() -> this.blog.addComment(this.fixture.post(4), "the first one"));
		assertThat(dropped).containsExactlyInAnyOrder(this.pages.home(), this.pages.post(4));
		assertThat(this.pages.body(this.pages.home())).contains("| Fourth | 1 comments");
		assertThat(this.pages.body(this.pages.post(4))).contains("the first one");
	}

	@Test
	void deletedCommentRefreshesItsPostAndThePagesThatListItWithItsCount() {
		Set<String> dropped = droppedBy(() -> this.blog.deleteComment(this.fixture.comment(4)));
		assertThat(dropped).containsExactlyInAnyOrder(this.pages.home(), this.pages.post(4));
		assertThat(this.pages.body(this.pages.post(4))).doesNotContain("c4 on fourth").contains("0 comments");
		assertThat(this.pages.body(this.pages.home())).contains("| Fourth | 0 comments");
	}

	@Test
	void editedCommentRefreshesOnlyThePageThatShowsIt() {
		Set<String> dropped = droppedBy(() -> this.blog.editComment(this.fixture.comment(3), "c3 edited"));
		assertThat(dropped).containsExactly(this.pages.post(2));
		assertThat(this.pages.body(this.pages.post(2))).contains("c3 edited");
	}

	@Test
	void editedPostNeverInvalidatesThePageOfAnotherPost() {
		Set<String> dropped = droppedBy(() -> this.blog.retitle(this.fixture.post(1), "First, edited"));
		// the listing declares dependsOn = Post: any change of a post drops it
		assertThat(dropped).containsExactlyInAnyOrder(this.pages.home(), this.pages.post(1), this.pages.java());
		assertThat(this.pages.body(this.pages.post(1))).contains("First, edited");
		assertThat(this.pages.body(this.pages.java())).contains("First, edited");
	}

	@Test
	void commentMovedToAnotherPostRefreshesBothPosts() {
		Set<String> dropped = droppedBy(() -> this.blog.moveComment(this.fixture.comment(1), this.fixture.post(3)));
		assertThat(dropped).containsExactlyInAnyOrder(this.pages.home(), this.pages.post(1), this.pages.post(3));
		assertThat(this.pages.body(this.pages.post(1))).doesNotContain("c1 on first").contains("1 comments");
		assertThat(this.pages.body(this.pages.post(3))).contains("c1 on first");
		assertThat(this.pages.body(this.pages.home())).contains("| Third | 1 comments");
	}

	@Test
	void newPostRefreshesTheListingItsCategoryAndThePagesThatShowItsAuthor() {
		Set<String> dropped = droppedBy(() -> this.blog.addPost(this.fixture.alice(), this.fixture.java(), "Fifth"));
		assertThat(dropped).containsExactlyInAnyOrder(this.pages.home(), this.pages.java(), this.pages.post(1),
				this.pages.post(2));
		assertThat(this.pages.body(this.pages.home())).contains("| Fifth | 0 comments");
		assertThat(this.pages.body(this.pages.java())).contains("| Fifth");
	}

	@Test
	void pagesShowingAnEntityCanBeListed() {
		List<String> keys = this.pageCache.pagesShowing(dev.pagecache.jpa.blog.Comment.class, this.fixture.comment(1));
		assertThat(keys).singleElement().satisfies((key) -> assertThat(key).endsWith(this.pages.post(1)));
		assertThat(this.pageCache.pagesTagged("Post#" + this.fixture.post(2))).hasSize(3);
	}

	/**
	 * Run a write and return the pages it dropped, checking that it sent one invalidation
	 * and that the store dropped as many pages as are misses now.
	 */
	private Set<String> droppedBy(Runnable write) {
		write.run();
		List<Invalidation> invalidations = recorder().invalidations();
		assertThat(invalidations).as("invalidations sent by one transaction").hasSize(1);
		Set<String> misses = this.pages.misses(this.pages.all());
		assertThat(invalidations.get(0).dropped())
			.as("pages dropped by the store, tags %s", invalidations.get(0).tags())
			.isEqualTo(misses.size());
		return misses;
	}

	private RecordingPageStore recorder() {
		return (RecordingPageStore) this.store;
	}

}
