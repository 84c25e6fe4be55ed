package dev.pagecache.sample;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * A blog post. Its body is plain text; blank lines separate paragraphs.
 *
 * @author pagecache
 */
@Entity
@Table(name = "posts")
public class Post {

	static final int TITLE_MAX = 200;

	static final int BODY_MAX = 20000;

	private static final int EXCERPT_MAX = 240;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, length = TITLE_MAX)
	private String title;

	@Column(nullable = false, length = BODY_MAX)
	private String body;

	@Column(name = "published_at", nullable = false)
	private Instant publishedAt;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "category_id")
	private Category category;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "author_id")
	private Author author;

	protected Post() {
	}

	public Post(String title, String body, Instant publishedAt, Category category, Author author) {
		this.title = title;
		this.body = body;
		this.publishedAt = publishedAt;
		this.category = category;
		this.author = author;
	}

	void edit(String title, String body, Category category) {
		this.title = title;
		this.body = body;
		this.category = category;
	}

	public Long getId() {
		return this.id;
	}

	public String getTitle() {
		return this.title;
	}

	public String getBody() {
		return this.body;
	}

	public Instant getPublishedAt() {
		return this.publishedAt;
	}

	public Category getCategory() {
		return this.category;
	}

	public Author getAuthor() {
		return this.author;
	}

	/**
	 * The body split at blank lines, one paragraph element each.
	 * @return the paragraphs
	 */
	public List<String> getParagraphs() {
		return Arrays.stream(this.body.split("\\R\\s*\\R")).map(String::strip).filter((p) -> !p.isEmpty()).toList();
	}

	/**
	 * The start of the first paragraph, for lists of posts.
	 * @return at most a few sentences of text
	 */
	public String getExcerpt() {
		List<String> paragraphs = getParagraphs();
		String first = paragraphs.isEmpty() ? "" : paragraphs.get(0);
		if (first.length() <= EXCERPT_MAX) {
			return first;
		}
		int cut = first.lastIndexOf(' ', EXCERPT_MAX);
		return first.substring(0, (cut > 0) ? cut : EXCERPT_MAX) + " …";
	}

}
