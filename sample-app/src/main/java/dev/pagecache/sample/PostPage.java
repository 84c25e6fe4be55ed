package dev.pagecache.sample;

import java.util.List;
import java.util.Map;

import org.springframework.ui.ModelMap;

/**
 * The model of the post page, shared by the page itself and the comment form that comes
 * back with errors.
 *
 * @author pagecache
 */
final class PostPage {

	private PostPage() {
	}

	static void addTo(ModelMap model, Post post, List<Comment> comments, CommentForm form, Map<String, String> errors) {
		model.addAttribute("post", post);
		model.addAttribute("comments", comments);
		model.addAttribute("commentForm", form);
		model.addAttribute("errors", errors);
	}

}
