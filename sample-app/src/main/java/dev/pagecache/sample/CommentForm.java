package dev.pagecache.sample;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * What a reader types into the comment form.
 *
 * @author pagecache
 */
public class CommentForm {

	@NotBlank(message = "Please tell us your name.")
	@Size(max = Comment.AUTHOR_MAX, message = "Your name can be at most " + Comment.AUTHOR_MAX + " characters long.")
	private String author = "";

	@NotBlank(message = "Please write a comment.")
	@Size(max = Comment.BODY_MAX, message = "A comment can be at most " + Comment.BODY_MAX + " characters long.")
	private String body = "";

	public String getAuthor() {
		return this.author;
	}

	public void setAuthor(String author) {
		this.author = author;
	}

	public String getBody() {
		return this.body;
	}

	public void setBody(String body) {
		this.body = body;
	}

}
