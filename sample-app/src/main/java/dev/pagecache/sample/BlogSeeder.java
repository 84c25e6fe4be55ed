package dev.pagecache.sample;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the demo content on the first start against an empty database: a few authors and
 * categories, {@code blog.seed.posts} posts (ids from 1, one a day from 1 January 2025)
 * and a handful of comments on each. The content is the same on every run.
 * <p>
 * Seeding happens once per database, even when several instances start against it
 * together: one transaction inserts the {@code seed_marker} row first and then the
 * content. An instance that starts while another one seeds waits on the marker's primary
 * key and, once the other commits, fails to insert it and skips. It runs before the web
 * server starts, so no page is rendered (and cached) half-seeded.
 *
 * @author pagecache
 */
@Component
class BlogSeeder implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(BlogSeeder.class);

	private static final String MARKER = "blog";

	private static final Instant FIRST_POST = Instant.parse("2025-01-01T08:00:00Z");

	private static final Duration WAIT_FOR_OTHER_INSTANCE = Duration.ofMinutes(2);

	private final AuthorRepository authors;

	private final CategoryRepository categories;

	private final PostRepository posts;

	private final CommentRepository comments;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transaction;

	private final int postCount;

	BlogSeeder(AuthorRepository authors, CategoryRepository categories, PostRepository posts,
			CommentRepository comments, JdbcTemplate jdbc, TransactionTemplate transaction, BlogProperties properties) {
		this.authors = authors;
		this.categories = categories;
		this.posts = posts;
		this.comments = comments;
		this.jdbc = jdbc;
		this.transaction = transaction;
		this.postCount = properties.getSeed().getPosts();
	}

	@Override
	public void afterSingletonsInstantiated() {
		Instant deadline = Instant.now().plus(WAIT_FOR_OTHER_INSTANCE);
		while (!alreadySeeded()) {
			try {
				this.transaction.executeWithoutResult((status) -> {
					this.jdbc.update("insert into seed_marker (name, seeded_at) values (?, ?)", MARKER,
							Timestamp.from(Instant.now()));
					seed();
				});
				logger.info("Seeded the blog with " + this.postCount + " posts");
				return;
			}
			catch (DuplicateKeyException ex) {
				break;
			}
			catch (PessimisticLockingFailureException ex) {
				// another instance is seeding and the database's lock timeout is shorter
				// than its work
				if (Instant.now().isAfter(deadline)) {
					throw ex;
				}
			}
		}
		logger.info("The blog's database is already seeded");
	}

	private boolean alreadySeeded() {
		Integer rows = this.jdbc.queryForObject("select count(*) from seed_marker where name = ?", Integer.class,
				MARKER);
		return rows != null && rows > 0;
	}

	private void seed() {
		Random random = new Random(42);
		List<Author> authors = this.authors.saveAll(SeedContent.authors());
		List<Category> categories = this.categories.saveAll(SeedContent.categories());
		for (int i = 0; i < this.postCount; i++) {
			Instant publishedAt = FIRST_POST.plus(Duration.ofDays(i));
			int category = random.nextInt(categories.size());
			Post post = this.posts.save(new Post(SeedContent.title(random, category), SeedContent.body(random),
					publishedAt, categories.get(category), authors.get(random.nextInt(authors.size()))));
			List<Comment> postComments = new ArrayList<>();
			int count = random.nextInt(7);
			for (int c = 0; c < count; c++) {
				Instant createdAt = publishedAt.plus(Duration.ofMinutes(30L + 97L * c + random.nextInt(60)));
				postComments
					.add(new Comment(post, SeedContent.commenter(random), SeedContent.comment(random), createdAt));
			}
			this.comments.saveAll(postComments);
		}
	}

	/**
	 * The words the demo content is made of.
	 */
	static final class SeedContent {

		private static final String[] OPENINGS = { "Notes on", "A week of", "What I learned from", "The quiet joy of",
				"Against", "In praise of", "Rethinking", "A beginner's guide to", "Ten years of", "Why I still like" };

		/**
		 * What each category's posts are about, in the order of {@link #categories()}.
		 */
		private static final String[][] SUBJECTS = {
				{ "second-hand books", "city libraries", "reading on night trains", "paper notebooks",
						"rereading old favourites" },
				{ "cast-iron pans", "sourdough starters", "fermented hot sauce", "one-pot dinners",
						"slow mornings and porridge" },
				{ "small databases", "caching everything", "plain HTML", "boring technology",
						"reading other people's code" },
				{ "tomato seedlings", "winter gardens", "compost heaps", "balcony herbs", "saving seeds" },
				{ "old cameras", "film photography", "photographing rain", "a single prime lens",
						"printing your own photos" },
				{ "night trains", "mountain huts", "coastal paths", "long walks", "travelling light" } };

		private static final String[] SENTENCES = { "It started, as these things do, with a small mistake.",
				"Nobody warned me how much patience it would take.",
				"The first attempt went badly, and the second one was not much better.",
				"By the third week a routine had formed without my noticing.",
				"There is a particular pleasure in doing one thing well.",
				"Most of the advice I found online was either wrong or far too confident.",
				"What surprised me most was how little equipment it needs.",
				"The trick, it turns out, is to stop optimising and start paying attention.",
				"I kept a log of every attempt, which made the patterns obvious.",
				"Friends were sceptical at first; some of them have since come round.",
				"It is slower than the alternative, and that is exactly the point.",
				"On a good day the whole thing takes less than an hour.",
				"A few readers wrote in with better ideas than mine, so I tried those too.",
				"The cost is mostly time, and the time is mostly well spent.",
				"If you only take one thing from this post, let it be this: start small.",
				"I would do it again tomorrow, with two or three changes.",
				"The results were uneven, but the uneven ones taught me the most.",
				"Somewhere along the way the chore became the best part of the day." };

		private static final String[] COMMENTERS = { "Maria", "Tom", "Priya", "Jonas", "Aiko", "Sam", "Lena", "Kwame",
				"Olga", "Diego", "Hannah", "Ravi" };

		private static final String[] REMARKS = { "Lovely write-up, thank you.",
				"I tried this last spring and can confirm every word.", "Great post. Do you have a follow-up planned?",
				"This made my morning.", "I disagree with the second half, but the first half is spot on.",
				"Bookmarked. Going to try it this weekend.", "The part about patience really resonated.",
				"Could you share the log you mentioned?", "Same experience here, almost to the day.",
				"Short and useful, the best kind of post." };

		private SeedContent() {
		}

		static List<Author> authors() {
			return List.of(new Author("Ada Lindqvist", "Writes about food, tools and the joy of doing things slowly."),
					new Author("Ben Okafor", "Engineer by day, walker by weekend."),
					new Author("Chloé Martin", "Gardener, reader, occasional cook."),
					new Author("Dev Raman", "Collects old cameras and older books."),
					new Author("Eva Novak", "Travels by train whenever she can."));
		}

		static List<Category> categories() {
			return List.of(new Category("Books", "books"), new Category("Cooking", "cooking"),
					new Category("Engineering", "engineering"), new Category("Gardening", "gardening"),
					new Category("Photography", "photography"), new Category("Travel", "travel"));
		}

		static String title(Random random, int category) {
			return pick(random, OPENINGS) + " " + pick(random, SUBJECTS[category]);
		}

		static String body(Random random) {
			return IntStream.range(0, 3 + random.nextInt(3))
				.mapToObj((p) -> IntStream.range(0, 3 + random.nextInt(3))
					.mapToObj((s) -> pick(random, SENTENCES))
					.collect(Collectors.joining(" ")))
				.collect(Collectors.joining("\n\n"));
		}

		static String commenter(Random random) {
			return pick(random, COMMENTERS);
		}

		static String comment(Random random) {
			return pick(random, REMARKS);
		}

		private static String pick(Random random, String[] values) {
			return values[random.nextInt(values.length)];
		}

	}

}
