package dev.pagecache.jpa.blog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

@Entity
@Table(name = "blog_posts")
public class Post {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String title;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	private Author author;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	private Category category;

	@OneToMany(mappedBy = "post")
	@OrderBy("id")
	private List<Comment> comments = new ArrayList<>();

	@ManyToMany
	@JoinTable(name = "blog_post_topics")
	private Set<Topic> topics = new LinkedHashSet<>();

	protected Post() {
	}

	public Post(String title, Author author, Category category) {
		this.title = title;
		this.author = author;
		this.category = category;
	}

	public Long getId() {
		return this.id;
	}

	public String getTitle() {
		return this.title;
	}

	public void setTitle(String title) {
		this.title = title;
	}

	public Author getAuthor() {
		return this.author;
	}

	public Category getCategory() {
		return this.category;
	}

	public void setCategory(Category category) {
		this.category = category;
	}

	public List<Comment> getComments() {
		return this.comments;
	}

	public Set<Topic> getTopics() {
		return this.topics;
	}

}
