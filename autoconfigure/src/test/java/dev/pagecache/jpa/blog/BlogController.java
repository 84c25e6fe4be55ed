package dev.pagecache.jpa.blog;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.persistence.EntityManager;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;
import dev.pagecache.PageTags;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The blog's pages: the latest posts with their comment counts, a post with its comments
 * (rendered lazily in the view, with open-in-view), a category's posts and a count of
 * every comment.
 */
@Controller
public class BlogController {

	private final EntityManager entityManager;

	private final PostRepository posts;

	private final BlogService service;

	private final PageCache pageCache;

	private final AtomicInteger renders = new AtomicInteger();

	BlogController(EntityManager entityManager, PostRepository posts, BlogService service, PageCache pageCache) {
		this.entityManager = entityManager;
		this.posts = posts;
		this.service = service;
		this.pageCache = pageCache;
	}

	public int renders() {
		return this.renders.get();
	}

	/**
	 * The latest three posts, with comment counts from an aggregate query that loads no
	 * comment.
	 */
	@GetMapping("/blog")
	@CachePage(dependsOn = Post.class)
	@ResponseBody
	public String home() {
		this.renders.incrementAndGet();
		List<Post> latest = this.entityManager.createQuery("select p from Post p order by p.id desc", Post.class)
			.setMaxResults(3)
			.getResultList();
		Map<Long, Long> counts = new HashMap<>();
		if (!latest.isEmpty()) {
			this.entityManager
				.createQuery("select c.post.id, count(c) from Comment c where c.post in :posts group by c.post.id",
						Object[].class)
				.setParameter("posts", latest)
				.getResultList()
				.forEach((row) -> counts.put((Long) row[0], (Long) row[1]));
		}
		StringBuilder page = new StringBuilder();
		for (Post post : latest) {
			page.append("post ")
				.append(post.getId())
				.append(" | ")
				.append(post.getTitle())
				.append(" | ")
				.append(counts.getOrDefault(post.getId(), 0L))
				.append(" comments\n");
		}
		return page.toString();
	}

	/**
	 * A post; author, category and comments are loaded lazily while the template renders.
	 */
	@GetMapping("/blog/posts/{id}")
	@CachePage
	public String post(@PathVariable long id, Model model) {
		this.renders.incrementAndGet();
		model.addAttribute("post", this.entityManager.find(Post.class, id));
		return "blog/post";
	}

	@GetMapping("/blog/categories/{id}")
	@CachePage
	@ResponseBody
	public String category(@PathVariable long id) {
		this.renders.incrementAndGet();
		Category category = this.entityManager.find(Category.class, id);
		StringBuilder page = new StringBuilder("category ").append(category.getName()).append('\n');
		for (Post post : this.posts.findByCategoryIdOrderById(id)) {
			page.append("post ").append(post.getId()).append(" | ").append(post.getTitle()).append('\n');
		}
		return page.toString();
	}

	/**
	 * The titles of a category's posts: the page names the only attribute of posts it
	 * shows.
	 */
	@GetMapping("/blog/categories/{id}/titles")
	@CachePage(attributes = "Post.title")
	@ResponseBody
	public String categoryTitles(@PathVariable long id) {
		this.renders.incrementAndGet();
		StringBuilder page = new StringBuilder();
		for (Post post : this.posts.findByCategoryIdOrderById(id)) {
			page.append(post.getTitle()).append('\n');
		}
		return page.toString();
	}

	/** A topic and its posts, through the side of the association that the posts own. */
	@GetMapping("/blog/topics/{id}")
	@CachePage
	@ResponseBody
	public String topic(@PathVariable long id) {
		this.renders.incrementAndGet();
		Topic topic = this.entityManager.find(Topic.class, id);
		StringBuilder page = new StringBuilder("topic ").append(topic.getName()).append('\n');
		for (Post post : topic.getPosts()) {
			page.append("post ").append(post.getId()).append(" | ").append(post.getTitle()).append('\n');
		}
		return page.toString();
	}

	/** A media found through the root of its hierarchy. */
	@GetMapping("/blog/media/{id}")
	@CachePage
	@ResponseBody
	public String media(@PathVariable long id) {
		this.renders.incrementAndGet();
		Media media = this.entityManager.find(Media.class, id);
		return media.getClass().getSimpleName() + " " + media.getCaption() + "\n";
	}

	/** A native count loads no entity: the page declares its dependency itself. */
	@GetMapping("/blog/stats")
	@CachePage
	@ResponseBody
	public String stats() {
		this.renders.incrementAndGet();
		this.pageCache.dependOn(PageTags.type(Comment.class));
		Number count = (Number) this.entityManager.createNativeQuery("select count(*) from blog_comments")
			.getSingleResult();
		return "comments: " + count + "\n";
	}

	@PostMapping("/blog/posts/{id}/comments")
	@ResponseBody
	public String comment(@PathVariable long id, @RequestParam String text) {
		return "comment " + this.service.addComment(id, text);
	}

}
