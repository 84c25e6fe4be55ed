package dev.pagecache.sample;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The blog's own settings, under {@code blog.*}.
 *
 * @author pagecache
 */
@ConfigurationProperties("blog")
@Validated
public class BlogProperties {

	@Valid
	private final Admin admin = new Admin();

	@Valid
	private final Seed seed = new Seed();

	/**
	 * Number of posts on each page of the home page and of the category pages.
	 */
	@Min(1)
	@Max(100)
	private int pageSize = 10;

	public Admin getAdmin() {
		return this.admin;
	}

	public Seed getSeed() {
		return this.seed;
	}

	public int getPageSize() {
		return this.pageSize;
	}

	public void setPageSize(int pageSize) {
		this.pageSize = pageSize;
	}

	/**
	 * The one administrator account.
	 */
	public static class Admin {

		/**
		 * User name of the administrator.
		 */
		@NotBlank
		private String username = "admin";

		/**
		 * Password of the administrator.
		 */
		@NotBlank
		private String password = "admin";

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

	}

	/**
	 * The demo content written on the first start against an empty database.
	 */
	public static class Seed {

		/**
		 * Number of posts to create, each with a few comments.
		 */
		@Min(0)
		private int posts = 200;

		public int getPosts() {
			return this.posts;
		}

		public void setPosts(int posts) {
			this.posts = posts;
		}

	}

}
