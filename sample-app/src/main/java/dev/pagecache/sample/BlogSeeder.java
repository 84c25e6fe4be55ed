package dev.pagecache.sample;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
 * categories, {@code blog.seed.posts} posts (ids from 1, oldest first, one every one to
 * three days from January 2025) and a handful of comments on each. The content is the
 * same on every run (see {@link SeedContent}).
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
		List<Author> authors = this.authors.saveAll(SeedContent.authors());
		List<Category> categories = this.categories.saveAll(SeedContent.categories());
		SeedContent content = new SeedContent();
		for (int i = 0; i < this.postCount; i++) {
			SeedContent.SeedPost seed = content.nextPost();
			Post post = this.posts.save(new Post(seed.title(), seed.body(), seed.publishedAt(),
					categories.get(seed.category()), authors.get(seed.author())));
			this.comments.saveAll(seed.comments()
				.stream()
				.map((comment) -> new Comment(post, comment.author(), comment.body(), comment.createdAt()))
				.toList());
		}
	}

}
