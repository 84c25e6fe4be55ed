package dev.pagecache.sample;

import java.time.Clock;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes posts, for the admin area.
 *
 * @author pagecache
 */
@Service
class PostService {

	private final PostRepository posts;

	private final CategoryRepository categories;

	private final AuthorRepository authors;

	private final Clock clock;

	PostService(PostRepository posts, CategoryRepository categories, AuthorRepository authors) {
		this.posts = posts;
		this.categories = categories;
		this.authors = authors;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Publish a new post now, signed by the blog's first author.
	 * @param form the validated post
	 * @return the saved post, or empty when the form names no existing category
	 */
	@Transactional
	Optional<Post> create(PostForm form) {
		Author author = this.authors.findFirstByOrderByIdAsc()
			.orElseThrow(() -> new IllegalStateException("The blog has no author to sign new posts with"));
		return this.categories.findById(form.getCategory()).map((category) -> {
			Post post = this.posts.save(
					new Post(form.getTitle().strip(), form.getBody().strip(), this.clock.instant(), category, author));
			return post;
		});
	}

	/**
	 * Change a post's title, body and category.
	 * @param postId the post
	 * @param form the validated post
	 * @return the saved post, or empty when the post or the category does not exist
	 */
	@Transactional
	Optional<Post> update(Long postId, PostForm form) {
		Optional<Category> category = this.categories.findById(form.getCategory());
		return this.posts.findWithAuthorAndCategoryById(postId).flatMap((post) -> category.map((newCategory) -> {
			post.edit(form.getTitle().strip(), form.getBody().strip(), newCategory);
			return post;
		}));
	}

}
