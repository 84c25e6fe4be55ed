package dev.pagecache.jpa.blog;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/** A topic that posts are filed under, many to many; the posts own the association. */
@Entity
@Table(name = "blog_topics")
public class Topic {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String name;

	@ManyToMany(mappedBy = "topics")
	@OrderBy("id")
	private Set<Post> posts = new LinkedHashSet<>();

	protected Topic() {
	}

	public Topic(String name) {
		this.name = name;
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

	public Set<Post> getPosts() {
		return this.posts;
	}

}
