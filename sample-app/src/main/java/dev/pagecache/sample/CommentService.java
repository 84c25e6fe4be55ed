package dev.pagecache.sample;

import java.time.Clock;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes comments.
 *
 * @author pagecache
 */
@Service
class CommentService {

	private final PostRepository posts;

	private final CommentRepository comments;

	private final Clock clock;

	CommentService(PostRepository posts, CommentRepository comments) {
		this.posts = posts;
		this.comments = comments;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Add a validated comment to a post.
	 * @param postId the post
	 * @param form the comment
	 * @return the saved comment, or empty when there is no such post
	 */
	@Transactional
	Optional<Comment> add(Long postId, CommentForm form) {
		return this.posts.findById(postId).map((post) -> {
			Comment comment = this.comments
				.save(new Comment(post, form.getAuthor().strip(), form.getBody().strip(), this.clock.instant()));
			return comment;
		});
	}

	/**
	 * Delete a comment.
	 * @param commentId the comment
	 * @return whether there was such a comment
	 */
	@Transactional
	boolean delete(Long commentId) {
		return this.comments.findById(commentId).map((comment) -> {
			this.comments.delete(comment);
			return true;
		}).orElse(false);
	}

}
