package dev.pagecache.jpa.blog;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A media that is an image. */
@Entity
@Table(name = "blog_images")
public class Image extends Media {

	private int width;

	protected Image() {
	}

	public Image(String caption, int width) {
		super(caption);
		this.width = width;
	}

	public int getWidth() {
		return this.width;
	}

}
