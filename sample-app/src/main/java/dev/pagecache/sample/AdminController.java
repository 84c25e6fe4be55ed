package dev.pagecache.sample;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The admin area: write and edit posts, delete comments. Never cached; its forms carry
 * CSRF tokens.
 *
 * @author pagecache
 */
@Controller
@RequestMapping("/admin")
class AdminController {

	private final PostRepository posts;

	private final CommentRepository comments;

	private final CategoryRepository categories;

	private final PostService postService;

	private final CommentService commentService;

	AdminController(PostRepository posts, CommentRepository comments, CategoryRepository categories,
			PostService postService, CommentService commentService) {
		this.posts = posts;
		this.comments = comments;
		this.categories = categories;
		this.postService = postService;
		this.commentService = commentService;
	}

	@GetMapping
	ModelAndView dashboard() {
		return new ModelAndView("admin/index", Map.of("posts", this.posts.findTop50ByOrderByPublishedAtDescIdDesc(),
				"comments", this.comments.findTop30ByOrderByCreatedAtDescIdDesc()));
	}

	@GetMapping("/posts/new")
	ModelAndView newPost() {
		return editor(null, new PostForm(), Map.of(), HttpStatus.OK);
	}

	@PostMapping("/posts/new")
	ModelAndView create(@Valid @ModelAttribute("postForm") PostForm form, BindingResult result) {
		if (result.hasErrors()) {
			return editor(null, form, CommentController.errors(result), HttpStatus.UNPROCESSABLE_CONTENT);
		}
		return saved(this.postService.create(form), null, form);
	}

	@GetMapping("/posts/{id}/edit")
	ModelAndView editPost(@PathVariable Long id) {
		Post post = this.posts.findWithAuthorAndCategoryById(id).orElseThrow(BlogController::notFound);
		return editor(post, PostForm.of(post), Map.of(), HttpStatus.OK);
	}

	@PostMapping("/posts/{id}/edit")
	ModelAndView update(@PathVariable Long id, @Valid @ModelAttribute("postForm") PostForm form, BindingResult result) {
		Post post = this.posts.findWithAuthorAndCategoryById(id).orElseThrow(BlogController::notFound);
		if (result.hasErrors()) {
			return editor(post, form, CommentController.errors(result), HttpStatus.UNPROCESSABLE_CONTENT);
		}
		return saved(this.postService.update(id, form), post, form);
	}

	@PostMapping("/comments/{id}/delete")
	ModelAndView deleteComment(@PathVariable Long id) {
		if (!this.commentService.delete(id)) {
			throw BlogController.notFound();
		}
		return new ModelAndView(CommentController.seeOther("/admin"));
	}

	private ModelAndView saved(Optional<Post> saved, Post post, PostForm form) {
		return saved.map((p) -> new ModelAndView(CommentController.seeOther("/posts/" + p.getId())))
			.orElseGet(() -> editor(post, form, Map.of("category", "Choose one of the categories."),
					HttpStatus.UNPROCESSABLE_CONTENT));
	}

	private ModelAndView editor(Post post, PostForm form, Map<String, String> errors, HttpStatus status) {
		ModelAndView page = new ModelAndView("admin/post-form", status);
		page.addObject("pageTitle", (post != null) ? "Edit post" : "New post");
		page.addObject("post", post);
		page.addObject("postForm", form);
		page.addObject("errors", errors);
		page.addObject("categories", this.categories.findAllByOrderByNameAsc());
		page.addObject("comments", (post != null) ? this.comments.findByPostOrderByCreatedAtAscIdAsc(post) : List.of());
		return page;
	}

}
