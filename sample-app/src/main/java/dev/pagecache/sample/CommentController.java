package dev.pagecache.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.view.RedirectView;

/**
 * The public comment form's target. Anonymous and without a CSRF token, so that the post
 * page that carries the form can be cached: {@link SecurityConfiguration} refuses
 * cross-site posts here instead.
 *
 * @author pagecache
 */
@Controller
class CommentController {

	/**
	 * The flash attribute that names the comment the reader just published, for the post
	 * page to say so.
	 */
	static final String PUBLISHED_COMMENT = "publishedComment";

	private final CommentService commentService;

	private final PostRepository posts;

	private final CommentRepository comments;

	CommentController(CommentService commentService, PostRepository posts, CommentRepository comments) {
		this.commentService = commentService;
		this.posts = posts;
		this.comments = comments;
	}

	/**
	 * Save a valid comment and send the reader back to it on the post page, where a flash
	 * attribute says it was published (see {@link CookieFlashMapManager}); an invalid one
	 * gets the form back with 422.
	 */
	@PostMapping("/posts/{id}/comments")
	ModelAndView add(@PathVariable Long id, @Valid @ModelAttribute("commentForm") CommentForm form,
			BindingResult result, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return formWithErrors(id, form, result);
		}
		Comment comment = this.commentService.add(id, form).orElseThrow(BlogController::notFound);
		redirect.addFlashAttribute(PUBLISHED_COMMENT, String.valueOf(comment.getId()));
		return new ModelAndView(seeOther("/posts/" + id + "#comment-" + comment.getId()));
	}

	private ModelAndView formWithErrors(Long id, CommentForm form, BindingResult result) {
		Post post = this.posts.findWithAuthorAndCategoryById(id).orElseThrow(BlogController::notFound);
		ModelAndView page = new ModelAndView("post", HttpStatus.UNPROCESSABLE_CONTENT);
		PostPage.addTo(page.getModelMap(), post, this.comments.findByPostOrderByCreatedAtAscIdAsc(post), form,
				errors(result));
		return page;
	}

	static Map<String, String> errors(BindingResult result) {
		Map<String, String> errors = new LinkedHashMap<>();
		for (FieldError error : result.getFieldErrors()) {
			errors.putIfAbsent(error.getField(), error.getDefaultMessage());
		}
		return errors;
	}

	/**
	 * A 303 to a path of this application without exposing the model as query parameters.
	 * Spring MVC's {@code redirect:} answers 302.
	 */
	static RedirectView seeOther(String path) {
		RedirectView view = new RedirectView(path, true);
		view.setStatusCode(HttpStatus.SEE_OTHER);
		view.setExposeModelAttributes(false);
		return view;
	}

}
