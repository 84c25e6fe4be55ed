package dev.pagecache.jpa.blog;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Inheritance;
import jakarta.persistence.InheritanceType;
import jakarta.persistence.Table;

/** The root of a small entity hierarchy, one table per type. */
@Entity
@Table(name = "blog_media")
@Inheritance(strategy = InheritanceType.JOINED)
public class Media {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String caption;

	protected Media() {
	}

	public Media(String caption) {
		this.caption = caption;
	}

	public Long getId() {
		return this.id;
	}

	public String getCaption() {
		return this.caption;
	}

	public void setCaption(String caption) {
		this.caption = caption;
	}

}
