package dev.pagecache.jpa;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.test.WithPostgresServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk JPQL and native statements of {@link BulkAndProgrammaticInvalidationTests} on
 * a real PostgreSQL, and native statements in PostgreSQL's own syntax, run through
 * Hibernate: each refreshes the pages of every table it writes.
 */
@WithPostgresServer
class PostgresBulkAndProgrammaticInvalidationTests extends BulkAndProgrammaticInvalidationTests {

	@Test
	void truncateOfSeveralTablesRefreshesThePagesOfEach() {
		this.blog.executeNative("truncate blog_post_topics, blog_comments");
		assertThat(invalidatedTags()).contains("Comment");
		assertThat(this.pages.body(this.pages.post(1))).doesNotContain("c1 on first").contains("0 comments");
		assertThat(this.pages.body(this.pages.home())).contains("| Fourth | 0 comments");
	}

	@Test
	void updateAfterADollarQuotedLiteralWithAQuoteRefreshesThePages() {
		appendToTheThirdTitleAfter("$$'$$");
	}

	@Test
	void updateAfterAnEscapeStringWithAnEscapedQuoteRefreshesThePages() {
		appendToTheThirdTitleAfter("E'\\''");
	}

	@Test
	void deleteInsideADoBlockRefreshesThePages() {
		this.blog.executeNative(
				"do $$ begin delete from blog_comments where post_id = " + this.fixture.post(4) + "; end $$");
		assertThat(invalidatedTags()).contains("Comment");
		assertThat(this.pages.body(this.pages.post(4))).doesNotContain("c4 on fourth").contains("0 comments");
	}

	/**
	 * Append " (new)" to the third post's title with a statement that selects a literal
	 * with a quote in it before it writes.
	 */
	private void appendToTheThirdTitleAfter(String quoteLiteral) {
		this.blog.executeNative("with note as (select " + quoteLiteral + " as quote, ' (new)' as s) update blog_posts"
				+ " set title = title || (select s from note) where id = " + this.fixture.post(3));
		assertThat(invalidatedTags()).contains("Post");
		assertThat(this.pages.body(this.pages.post(3))).contains("Third (new)");
		assertThat(this.pages.body(this.pages.news())).contains("Third (new)");
	}

	private List<String> invalidatedTags() {
		return ((RecordingPageStore) this.store).invalidations()
			.stream()
			.flatMap((invalidation) -> invalidation.tags().stream())
			.toList();
	}

}
