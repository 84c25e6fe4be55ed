package dev.pagecache.sample;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pagecache.PageCache;
import dev.pagecache.test.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page cache's dashboard in a real headless Chromium, as the admin keeps it open: the
 * chart of the last hour fills from the blog's traffic, the entity search finds every
 * page that shows a post (its category page included), the drill-down lists a pattern's
 * pages with their tags, and a purge button turns the post's pages into misses while the
 * others stay hits. Skipped when Chromium or chromedriver is missing, unless {@code CI}
 * is set.
 * <p>
 * With {@code -Dblog.test.docs-screenshots=true} the screenshots replace
 * {@code docs/dashboard.png} and {@code docs/dashboard-drilldown.png}; otherwise they go
 * to {@code target/screenshots}.
 *
 * @author pagecache
 */
@BlogTest
class DashboardBrowserTests {

	private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

	private static final Path SCREENSHOTS = Boolean.getBoolean("blog.test.docs-screenshots")
			? BASEDIR.resolve("..").resolve("docs").normalize() : BASEDIR.resolve("target").resolve("screenshots");

	private static final Pattern POST_LINK = Pattern.compile("href=\"/posts/(\\d+)\"");

	@LocalServerPort
	private int port;

	@Autowired
	private PageCache pageCache;

	@Autowired
	private PostRepository posts;

	private TestHttp<String> reader;

	@BeforeEach
	void browserIsInstalled() {
		Browser.assumeInstalled();
	}

	@BeforeEach
	void emptyTheCache() {
		this.pageCache.clear();
		this.reader = TestHttp.text(this.port);
	}

	@Test
	void theAdminWatchesTheFiguresFindsWhatShowsAPostDrillsIntoAPatternAndPurgesThePost() {
		String category = "/categories/"
				+ this.posts.findWithAuthorAndCategoryById(33L).orElseThrow().getCategory().getSlug();
		long shown = firstPostListedOn(category);
		long other = (shown == 32) ? 34 : 32;
		for (String page : List.of("/posts/" + shown, "/posts/" + other, category, "/")) {
			assertThat(cacheResult(page)).as(page).isEqualTo("MISS");
			assertThat(cacheResult(page)).as(page).isEqualTo("HIT");
		}
		try (Browser admin = Browser.start(this.port)) {
			signIn(admin);
			admin.clickAndWait(admin.find(By.cssSelector("a.dashboard-link")));
			assertThat(admin.currentPath()).isEqualTo("/actuator/pagecache/dashboard");
			admin.await("the chart's first bars",
					(browser) -> !browser.findAll(By.cssSelector("#pc-chart-instance svg.pc-chart rect.pc-chart-hits"))
						.isEmpty());
			assertThat(admin.find(By.id("pagecache-dashboard")).getAttribute("data-purge")).isEqualTo("true");

			admin.find(By.id("pc-entity")).sendKeys("Post " + shown);
			admin.find(By.cssSelector("#pc-search button[type=submit]")).click();
			admin.await("the pages that show the post",
					(browser) -> !browser.findAll(By.cssSelector("#pc-search-result .pc-search-pages li")).isEmpty());
			List<String> showing = texts(admin.findAll(By.cssSelector("#pc-search-result .pc-search-pages code")));
			assertThat(showing).anySatisfy((key) -> assertThat(key).endsWith("/posts/" + shown))
				.anySatisfy((key) -> assertThat(key).endsWith(category))
				.noneSatisfy((key) -> assertThat(key).endsWith("/posts/" + other));
			for (int round = 0; round < 2; round++) {
				int points = chartPoints(admin);
				for (String page : List.of("/posts/" + shown, category, "/")) {
					assertThat(cacheResult(page)).as(page).isEqualTo("HIT");
				}
				admin.await("a new point on the chart, without a reload", (browser) -> chartPoints(browser) > points);
			}
			assertThat(admin.find(By.id("pc-search-result")).isDisplayed()).as("the search kept across refreshes")
				.isTrue();
			admin.screenshot(SCREENSHOTS.resolve("dashboard.png"));

			admin.click(By.cssSelector("#pc-instance button.pc-drill[data-page='/posts/{id}']"));
			admin.await("the pages of /posts/{id}",
					(browser) -> browser.findAll(By.cssSelector("#pc-drilldown .pc-drill-pages li")).size() == 2);
			assertThat(texts(admin.findAll(By.cssSelector("#pc-drilldown .pc-tag")))).contains("Post#" + shown,
					"route:/posts/{id}");
			admin.screenshot(SCREENSHOTS.resolve("dashboard-drilldown.png"));

			admin.find(By.cssSelector("#pc-search-result button.pc-purge")).click();
			admin.acceptDialog();
			admin.await("the purge's confirmation",
					(browser) -> browser.find(By.id("pc-message")).getText().startsWith("Purged the pages of Post"));
		}
		assertThat(cacheResult("/posts/" + shown)).as("the purged post").isEqualTo("MISS");
		assertThat(cacheResult(category)).as("its category page").isEqualTo("MISS");
		assertThat(cacheResult("/posts/" + other)).as("another post").isEqualTo("HIT");
	}

	private static int chartPoints(Browser browser) {
		return Integer
			.parseInt(browser.find(By.cssSelector("#pc-chart-instance svg.pc-chart")).getAttribute("data-points"));
	}

	private long firstPostListedOn(String page) {
		Matcher link = POST_LINK.matcher(this.reader.get(page).body());
		assertThat(link.find()).as("a post listed on " + page).isTrue();
		this.pageCache.clear();
		return Long.parseLong(link.group(1));
	}

	private String cacheResult(String path) {
		return TestHttp.cacheResult(this.reader.get(path));
	}

	private static void signIn(Browser admin) {
		admin.open("/admin");
		admin.find(By.id("username")).sendKeys(BlogTest.USERNAME);
		admin.find(By.id("password")).sendKeys(BlogTest.PASSWORD);
		admin.clickAndWait(admin.find(By.cssSelector("form.login-form button[type=submit]")));
		assertThat(admin.currentPath()).isEqualTo("/admin");
	}

	private static List<String> texts(List<WebElement> elements) {
		return elements.stream().map(WebElement::getText).toList();
	}

}
