package dev.pagecache.sample;

import java.time.Instant;

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
 * A reader's comment on a post. Readers are anonymous: the author is just a name they
 * typed.
 *
 * @author pagecache
 */
@Entity
@Table(name = "comments")
public class Comment {

	static final int AUTHOR_MAX = 80;

	static final int BODY_MAX = 2000;

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "post_id")
	private Post post;

	@Column(name = "author_name", nullable = false, length = AUTHOR_MAX)
	private String authorName;

	@Column(nullable = false, length = BODY_MAX)
	private String body;

	@Column(name = "created_at", nullable = false)
	private Instant createdAt;

	protected Comment() {
	}

	public Comment(Post post, String authorName, String body, Instant createdAt) {
		this.post = post;
		this.authorName = authorName;
		this.body = body;
		this.createdAt = createdAt;
	}

	public Long getId() {
		return this.id;
	}

	public Post getPost() {
		return this.post;
	}

	public String getAuthorName() {
		return this.authorName;
	}

	public String getBody() {
		return this.body;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

}
