package dev.pagecache.sample;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.pagecache.CachePage;

import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.ui.ModelMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The public pages, every one cached whole.
 * <p>
 * The annotations say what each page depends on beyond the entities it loads (which
 * pagecache captures by itself): {@code dependsOn} for lists and counts whose membership
 * can change, {@code tags} for the ids in the URL.
 *
 * @author pagecache
 */
@Controller
class BlogController {

	private final PostRepository posts;

	private final CommentRepository comments;

	private final CategoryRepository categories;

	private final AuthorRepository authors;

	private final int pageSize;

	BlogController(PostRepository posts, CommentRepository comments, CategoryRepository categories,
			AuthorRepository authors, BlogProperties properties) {
		this.posts = posts;
		this.comments = comments;
		this.categories = categories;
		this.authors = authors;
		this.pageSize = properties.getPageSize();
	}

	/**
	 * The latest posts with their comment counts, a page at a time ({@code ?page=2} for
	 * older ones), the latest comments and the categories with their post counts: lists
	 * and counts of posts, comments and categories. Every page of it changes with any new
	 * post.
	 */
	@GetMapping("/")
	@CachePage(dependsOn = { Post.class, Comment.class, Category.class })
	String home(@RequestParam(name = "page", defaultValue = "1") int page, Model model) {
		Page<Post> latest = this.posts.findByOrderByPublishedAtDescIdDesc(Paging.request(page, this.pageSize));
		model.addAttribute("paging", Paging.of(latest, "/"));
		model.addAttribute("posts", latest.getContent());
		model.addAttribute("commentCounts", commentCounts(latest.getContent()));
		model.addAttribute("recentComments", this.comments.findTop5ByOrderByCreatedAtDescIdDesc());
		model.addAttribute("categories", this.categories.findAllWithPostCounts());
		return "home";
	}

	/**
	 * A post and its comments. A new or deleted comment refreshes its post's pages, so
	 * the post's tag covers the comment list.
	 */
	@GetMapping("/posts/{id}")
	@CachePage(tags = "'Post#' + #id")
	String post(@PathVariable Long id, ModelMap model) {
		Post post = this.posts.findWithAuthorAndCategoryById(id).orElseThrow(BlogController::notFound);
		PostPage.addTo(model, post, this.comments.findByPostOrderByCreatedAtAscIdAsc(post), new CommentForm(),
				Map.of());
		return "post";
	}

	/**
	 * The posts of a category, a page at a time: their titles, dates and authors. A post
	 * that joins or leaves the category refreshes all of the category's pages (it moves
	 * the others along); an edit of a post's body does not.
	 */
	@GetMapping("/categories/{slug}")
	@CachePage(attributes = { "Post.title", "Post.publishedAt", "Post.author" })
	String category(@PathVariable String slug, @RequestParam(name = "page", defaultValue = "1") int page, Model model) {
		Category category = this.categories.findBySlug(slug).orElseThrow(BlogController::notFound);
		Page<Post> posts = this.posts.findByCategoryOrderByPublishedAtDescIdDesc(category,
				Paging.request(page, this.pageSize));
		model.addAttribute("category", category);
		model.addAttribute("paging", Paging.of(posts, "/categories/" + category.getSlug()));
		model.addAttribute("posts", posts.getContent());
		model.addAttribute("postCount", posts.getTotalElements());
		return "category";
	}

	/**
	 * An author and their posts: titles, dates and categories. A post of theirs that is
	 * created or deleted refreshes the author's pages; an edit of a post's body does not.
	 */
	@GetMapping("/authors/{id}")
	@CachePage(tags = "'Author#' + #id", attributes = { "Post.title", "Post.publishedAt", "Post.category" })
	String author(@PathVariable Long id, Model model) {
		Author author = this.authors.findById(id).orElseThrow(BlogController::notFound);
		model.addAttribute("author", author);
		model.addAttribute("posts", this.posts.findByAuthorOrderByPublishedAtDescIdDesc(author));
		return "author";
	}

	private Map<Long, Long> commentCounts(List<Post> posts) {
		List<Long> ids = posts.stream().map(Post::getId).toList();
		return this.comments.countByPostIds(ids)
			.stream()
			.collect(Collectors.toMap(CommentRepository.CommentCount::getPostId,
					CommentRepository.CommentCount::getComments));
	}

	static ResponseStatusException notFound() {
		return new ResponseStatusException(HttpStatus.NOT_FOUND);
	}

}
