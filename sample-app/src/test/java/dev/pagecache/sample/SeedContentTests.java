package dev.pagecache.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import dev.pagecache.sample.SeedContent.SeedComment;
import dev.pagecache.sample.SeedContent.SeedPost;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo content reads like a real blog and is the same on every run, so that tests and
 * benchmarks stay repeatable.
 *
 * @author pagecache
 */
class SeedContentTests {

	/** The sample's default {@code blog.seed.posts}. */
	private static final int DEFAULT_POSTS = 200;

	@Test
	void sameContentOnEveryRun() {
		assertThat(posts(DEFAULT_POSTS)).isEqualTo(posts(DEFAULT_POSTS));
	}

	@Test
	void everyTitleIsDistinctEvenBeyondTheDefaultSize() {
		for (int count : new int[] { DEFAULT_POSTS, 2000 }) {
			List<String> titles = posts(count).stream().map(SeedPost::title).toList();
			assertThat(new HashSet<>(titles)).as(count + " posts").hasSize(count);
			assertThat(titles).allSatisfy((title) -> assertThat(title).hasSizeLessThanOrEqualTo(Post.TITLE_MAX));
		}
	}

	@Test
	void noSentenceRepeatsWithinAPost() {
		for (SeedPost post : posts(DEFAULT_POSTS)) {
			List<String> sentences = Arrays.stream(post.body().split("\n\n"))
				.flatMap((paragraph) -> Arrays.stream(paragraph.split("(?<=[.!?]) ")))
				.toList();
			assertThat(sentences).as(post.title()).hasSizeGreaterThanOrEqualTo(9).doesNotHaveDuplicates();
			assertThat(post.body().split("\n\n")).as(post.title()).hasSizeBetween(3, 5);
		}
	}

	@Test
	void postsVaryAcrossTheBlog() {
		List<SeedPost> posts = posts(DEFAULT_POSTS);
		assertThat(posts.stream().map(SeedPost::body).distinct()).hasSize(DEFAULT_POSTS);
		assertThat(posts.stream().map((post) -> post.body().split("\\. ")[0]).distinct().count())
			.as("distinct first sentences")
			.isGreaterThan(DEFAULT_POSTS / 2);
		assertThat(posts.stream().map(SeedPost::category).distinct())
			.containsExactlyInAnyOrderElementsOf(indexes(SeedContent.categories().size()));
		assertThat(posts.stream().map(SeedPost::author).distinct())
			.containsExactlyInAnyOrderElementsOf(indexes(SeedContent.authors().size()));
	}

	@Test
	void postsAreSpreadOverMonthsOldestFirstWithTheirCommentsAfterThem() {
		List<SeedPost> posts = posts(DEFAULT_POSTS);
		for (int i = 1; i < posts.size(); i++) {
			assertThat(posts.get(i).publishedAt()).isAfter(posts.get(i - 1).publishedAt());
		}
		assertThat(Duration.between(posts.get(0).publishedAt(), posts.get(posts.size() - 1).publishedAt()))
			.isGreaterThan(Duration.ofDays(300));
		for (SeedPost post : posts) {
			Instant previous = post.publishedAt();
			for (SeedComment comment : post.comments()) {
				assertThat(comment.createdAt()).isAfter(previous);
				previous = comment.createdAt();
			}
		}
	}

	@Test
	void commentsOfAPostComeFromDifferentReadersAndSayDifferentThings() {
		Set<String> readers = new HashSet<>();
		int comments = 0;
		for (SeedPost post : posts(DEFAULT_POSTS)) {
			assertThat(post.comments()).hasSizeLessThanOrEqualTo(6);
			assertThat(post.comments().stream().map(SeedComment::author)).doesNotHaveDuplicates();
			assertThat(post.comments().stream().map(SeedComment::body)).doesNotHaveDuplicates();
			post.comments().forEach((comment) -> readers.add(comment.author()));
			comments += post.comments().size();
		}
		assertThat(comments).isGreaterThan(DEFAULT_POSTS * 2);
		assertThat(readers).hasSizeGreaterThan(20);
	}

	private static List<SeedPost> posts(int count) {
		SeedContent content = new SeedContent();
		return IntStream.range(0, count).mapToObj((i) -> content.nextPost()).toList();
	}

	private static List<Integer> indexes(int size) {
		return IntStream.range(0, size).boxed().toList();
	}

}
