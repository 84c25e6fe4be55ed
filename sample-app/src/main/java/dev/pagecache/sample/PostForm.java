package dev.pagecache.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The admin's post editor.
 *
 * @author pagecache
 */
public class PostForm {

	@NotBlank(message = "A post needs a title.")
	@Size(max = Post.TITLE_MAX, message = "A title can be at most " + Post.TITLE_MAX + " characters long.")
	private String title = "";

	@NotBlank(message = "A post needs a body.")
	@Size(max = Post.BODY_MAX, message = "A post can be at most " + Post.BODY_MAX + " characters long.")
	private String body = "";

	@NotNull(message = "Choose a category.")
	private Long category;

	static PostForm of(Post post) {
		PostForm form = new PostForm();
		form.setTitle(post.getTitle());
		form.setBody(post.getBody());
		form.setCategory(post.getCategory().getId());
		return form;
	}

	public String getTitle() {
		return this.title;
	}

	public void setTitle(String title) {
		this.title = title;
	}

	public String getBody() {
		return this.body;
	}

	public void setBody(String body) {
		this.body = body;
	}

	public Long getCategory() {
		return this.category;
	}

	public void setCategory(Long category) {
		this.category = category;
	}

}
