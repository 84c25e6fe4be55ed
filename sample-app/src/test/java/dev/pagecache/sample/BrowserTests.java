package dev.pagecache.sample;

import java.nio.file.Path;
import java.util.List;

import dev.pagecache.PageCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog end to end in a real headless Chromium: what a reader and the admin do,
 * clicked through the real pages and forms. The {@code X-Page-Cache} values are those of
 * the responses the browser itself rendered (see {@link Browser#document()}). Skipped
 * when Chromium or chromedriver is missing, unless {@code CI} is set. Each test works on
 * a post of its own; a screenshot of a post page goes to {@code target/screenshots}.
 *
 * @author pagecache
 */
@BlogTest
class BrowserTests {

	private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

	@LocalServerPort
	private int port;

	@Autowired
	private PageCache pageCache;

	@Autowired
	private PostRepository posts;

	// per test, not per class: Surefire counts a test skipped in @BeforeEach, not one
	// skipped in @BeforeAll
	@BeforeEach
	void browserIsInstalled() {
		Browser.assumeInstalled();
	}

	@BeforeEach
	void emptyTheCache() {
		this.pageCache.clear();
	}

	@Test
	void readerGetsAMissThenAHitAndSeesTheirCommentAtOnce() {
		try (Browser reader = Browser.start(this.port)) {
			reader.open("/");
			assertThat(reader.reload().pageCache()).as("home page on reload").isEqualTo("HIT");

			Browser.DocumentResponse first = reader.open("/posts/37");
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.pageCache()).as("post page, first visit").isEqualTo("MISS");
			String title = reader.find(By.cssSelector("article.post h1")).getText();
			Browser.DocumentResponse reloaded = reader.reload();
			assertThat(reloaded.pageCache()).as("post page on reload").isEqualTo("HIT");
			assertThat(reader.find(By.cssSelector("article.post h1")).getText()).isEqualTo(title);

			reader.find(By.id("author")).sendKeys("Grace");
			reader.find(By.id("body")).sendKeys("Read in a real browser, posted through the real form.");
			Browser.DocumentResponse afterComment = reader
				.clickAndWait(reader.find(By.cssSelector("form.comment-form button[type=submit]")));
			assertThat(reader.currentPath()).isEqualTo("/posts/37");
			// the flash cookie that carries the message is the reader's own: the page is
			// rendered for them and never stored
			assertThat(afterComment.pageCache()).as("post page after the comment").isEqualTo("BYPASS");
			assertThat(texts(reader.findAll(By.cssSelector("#comments .comment .comment-body"))))
				.contains("Read in a real browser, posted through the real form.");
			assertThat(texts(reader.findAll(By.cssSelector(".comment.just-published .published"))))
				.containsExactly("Your comment was published.");
			reader.screenshot(SCREENSHOTS.resolve("post-page.png"));
			assertThat(reader.cookieNames()).as("the flash cookie, deleted once shown").isEmpty();
			assertThat(reader.reload().pageCache()).as("post page reloaded after the comment").isEqualTo("MISS");
			assertThat(reader.findAll(By.cssSelector(".published"))).isEmpty();
			assertThat(reader.reload().pageCache()).as("post page reloaded again").isEqualTo("HIT");

			Browser.DocumentResponse home = reader.clickAndWait(reader.find(By.cssSelector("a.brand")));
			assertThat(reader.currentPath()).isEqualTo("/");
			assertThat(home.pageCache()).as("home page after the comment").isEqualTo("MISS");
			assertThat(texts(reader.findAll(By.cssSelector(".recent-comments li"))))
				.anySatisfy((comment) -> assertThat(comment).startsWith("Grace on " + title)
					.contains("Read in a real browser, posted through the real form."));
			reader.screenshot(SCREENSHOTS.resolve("home-page.png"));
			assertThat(reader.cookieNames()).as("cookies of an anonymous reader").isEmpty();
		}
	}

	@Test
	void titleEditedByTheAdminShowsAtOnceToAFreshReader() {
		Post post = this.posts.findWithAuthorAndCategoryById(38L).orElseThrow();
		String oldTitle = post.getTitle();
		String newTitle = "Edited in the browser: " + oldTitle;
		String[] pages = { "/posts/38", "/", "/categories/" + post.getCategory().getSlug() };
		try (Browser reader = Browser.start(this.port)) {
			for (String page : pages) {
				reader.open(page);
				assertThat(reader.reload().pageCache()).as(page).isEqualTo("HIT");
				assertThat(titles(reader, page)).as(page).contains(oldTitle);
			}

			try (Browser admin = Browser.start(this.port)) {
				admin.open("/admin");
				assertThat(admin.currentPath()).isEqualTo("/login");
				admin.find(By.id("username")).sendKeys(BlogTest.USERNAME);
				admin.find(By.id("password")).sendKeys(BlogTest.PASSWORD);
				admin.clickAndWait(admin.find(By.cssSelector("form.login-form button[type=submit]")));
				assertThat(admin.currentPath()).isEqualTo("/admin");
				admin.clickAndWait(admin.find(By.cssSelector("a[href='/admin/posts/38/edit']")));
				WebElement title = admin.find(By.id("title"));
				title.clear();
				title.sendKeys(newTitle);
				Browser.DocumentResponse saved = admin
					.clickAndWait(admin.find(By.cssSelector("form.post-form button[type=submit]")));
				assertThat(admin.currentPath()).isEqualTo("/posts/38");
				assertThat(saved.pageCache()).as("the signed-in admin's view").isEqualTo("BYPASS");
				assertThat(titles(admin, "/posts/38")).containsExactly(newTitle);
			}

			try (Browser freshReader = Browser.start(this.port)) {
				for (String page : pages) {
					Browser.DocumentResponse response = freshReader.open(page);
					assertThat(response.pageCache()).as(page).isEqualTo("MISS");
					assertThat(titles(freshReader, page)).as(page).contains(newTitle).doesNotContain(oldTitle);
				}
				assertThat(freshReader.cookieNames()).isEmpty();
			}

			// the first reader's browser kept its copies, but revalidates them
			// (Cache-Control: no-cache)
			for (String page : pages) {
				reader.open(page);
				assertThat(titles(reader, page)).as(page).contains(newTitle).doesNotContain(oldTitle);
			}
		}
	}

	@Test
	void dashboardShowsTheHitRatioOfEveryPage() {
		try (Browser reader = Browser.start(this.port)) {
			for (String page : new String[] { "/", "/posts/39", "/authors/1" }) {
				reader.open(page);
				reader.reload();
			}
			Browser.DocumentResponse dashboard = reader.open("/actuator/pagecache/dashboard");
			assertThat(dashboard.status()).isEqualTo(200);
			List<WebElement> rows = reader.findAll(By.cssSelector("#pc-instance tr.pc-page"));
			assertThat(rows).extracting((row) -> row.getAttribute("data-page"))
				.contains("/", "/posts/{id}", "/categories/{slug}", "/authors/{id}");
			for (WebElement row : rows) {
				assertThat(row.findElement(By.cssSelector(".pc-hit-ratio")).getText()).matches("\\d{1,3}\\.\\d%");
				assertThat(row.findElement(By.cssSelector(".pc-bar")).isDisplayed()).isTrue();
			}
			WebElement home = rows.stream()
				.filter((row) -> "/".equals(row.getAttribute("data-page")))
				.findFirst()
				.orElseThrow();
			assertThat(Double.parseDouble(home.getAttribute("data-hit-ratio"))).isGreaterThan(0);
			reader.screenshot(SCREENSHOTS.resolve("dashboard.png"));
		}
	}

	/**
	 * The post titles a page shows: the heading of a post page, the links of a list.
	 */
	private static List<String> titles(Browser browser, String page) {
		By titles = page.startsWith("/posts/") ? By.cssSelector("article.post h1")
				: page.equals("/") ? By.cssSelector("article.summary h2 a") : By.cssSelector(".post-list li > a");
		return texts(browser.findAll(titles));
	}

	private static List<String> texts(List<WebElement> elements) {
		return elements.stream().map(WebElement::getText).toList();
	}

}
