package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pagecache.PageCache;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page and the category pages, a page at a time ({@code ?page=N}): each page
 * cached under its own key, a new post refreshing every page it moves along and no other,
 * and a page number that is not one answered as the application answers it, never from
 * the cache. Five posts a page, so that every category has more than one.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "org.springframework.web.servlet.mvc.support",
		because = "malformed page numbers are answered 400")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "blog.seed.posts=40", "blog.page-size=" + PagingTests.PAGE_SIZE,
				"blog.admin.username=" + BlogTest.USERNAME, "blog.admin.password=" + BlogTest.PASSWORD,
				// as in BlogTest: these tests assert which request rendered a page
				"pagecache.refresh-ahead.enabled=false" })
class PagingTests {

	static final int PAGE_SIZE = 5;

	private static final Pattern HOME_POST = Pattern.compile("<h2><a href=\"/posts/(\\d+)\">");

	private static final Pattern LISTED_POST = Pattern.compile("<li>\\s*<a href=\"/posts/(\\d+)\">");

	private static final Pattern PREVIOUS = Pattern.compile("rel=\"prev\" href=\"([^\"]+)\"");

	private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Autowired
	private PageCache pageCache;

	@Autowired
	private JdbcTemplate jdbc;

	private TestHttp<String> http;

	@BeforeEach
	void emptyTheCache() {
		this.http = TestHttp.text(this.port);
		this.pageCache.clear();
	}

	@Test
	void homePagesListTheLatestPostsAPageAtATimeWithLinksToTheirNeighbours() {
		List<Long> newestFirst = newestFirst();
		int pages = (newestFirst.size() + PAGE_SIZE - 1) / PAGE_SIZE;
		String first = this.http.get("/").body();
		assertThat(ids(HOME_POST, first)).isEqualTo(newestFirst.subList(0, PAGE_SIZE));
		assertThat(links(first)).containsExactly(null, "/?page=2");
		assertThat(first).contains("Page 1 of " + pages).contains("<title>Latest posts · Field Notes</title>");
		String second = this.http.get("/?page=2").body();
		assertThat(ids(HOME_POST, second)).isEqualTo(newestFirst.subList(PAGE_SIZE, 2 * PAGE_SIZE));
		assertThat(links(second)).containsExactly("/", "/?page=3");
		assertThat(second).contains("Page 2 of " + pages).contains("<title>Latest posts, page 2 · Field Notes</title>");
		String last = this.http.get("/?page=" + pages).body();
		assertThat(ids(HOME_POST, last)).isEqualTo(newestFirst.subList((pages - 1) * PAGE_SIZE, newestFirst.size()));
		assertThat(links(last)).containsExactly("/?page=" + (pages - 1), null);
	}

	@Test
	void categoryPagesListTheirPostsAPageAtATime() {
		CategoryRow category = largestCategory();
		List<Long> newestFirst = newestFirstIn(category);
		String path = "/categories/" + category.slug();
		String first = this.http.get(path).body();
		assertThat(ids(LISTED_POST, first)).isEqualTo(newestFirst.subList(0, PAGE_SIZE));
		assertThat(first).contains(newestFirst.size() + " posts");
		assertThat(links(first)).containsExactly(null, path + "?page=2");
		String second = this.http.get(path + "?page=2").body();
		assertThat(ids(LISTED_POST, second))
			.isEqualTo(newestFirst.subList(PAGE_SIZE, Math.min(2 * PAGE_SIZE, newestFirst.size())));
		assertThat(links(second).get(0)).isEqualTo(path);
	}

	@Test
	void eachPageIsCachedUnderItsOwnKeyAndOtherParametersAreIgnored() {
		HttpResponse<String> first = this.http.get("/");
		HttpResponse<String> second = this.http.get("/?page=2");
		assertThat(TestHttp.cacheResult(first)).isEqualTo("MISS");
		assertThat(TestHttp.cacheResult(second)).isEqualTo("MISS");
		HttpResponse<String> secondAgain = this.http.get("/?page=2&utm_source=newsletter");
		assertThat(TestHttp.cacheResult(secondAgain)).isEqualTo("HIT");
		assertThat(secondAgain.body()).isEqualTo(second.body()).isNotEqualTo(first.body());
		assertThat(TestHttp.cacheResult(this.http.get("/"))).isEqualTo("HIT");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			?page=abc        | 400
			?page=0          | 400
			?page=-1         | 400
			?page=1.5        | 400
			?page=99         | 404
			?page=2147483647 | 404
			""")
	void malformedOrMissingPageIsAnsweredAsWithoutTheCacheAndNeverStored(String query, int status) {
		for (String path : List.of("/", "/categories/" + largestCategory().slug())) {
			for (int i = 0; i < 2; i++) {
				HttpResponse<String> response = this.http.get(path + query);
				assertThat(response.statusCode()).as(path + query).isEqualTo(status);
				assertThat(TestHttp.cacheResult(response)).as(path + query).isNotEqualTo("HIT");
			}
		}
	}

	@Test
	void pageNumberWrittenAnotherWayShowsThatPageUncached() {
		String second = this.http.get("/?page=2").body();
		HttpResponse<String> padded = this.http.get("/?page=02");
		assertThat(padded.statusCode()).isEqualTo(200);
		assertThat(TestHttp.cacheResult(padded)).isEqualTo("BYPASS");
		assertThat(ids(HOME_POST, padded.body())).isEqualTo(ids(HOME_POST, second));
		HttpResponse<String> empty = this.http.get("/?page=");
		assertThat(empty.statusCode()).isEqualTo(200);
		assertThat(ids(HOME_POST, empty.body())).isEqualTo(ids(HOME_POST, this.http.get("/").body()));
	}

	@Test
	void newPostRefreshesEveryPageItMovesAlongAndNoOther() {
		CategoryRow category = largestCategory();
		String path = "/categories/" + category.slug();
		String[] moved = { "/", "/?page=2", path, path + "?page=2" };
		String otherCategory = "/categories/" + categoryWithoutPostsOfTheSigningAuthor(category).slug();
		for (String page : moved) {
			warm(page);
		}
		warm(otherCategory);
		String lastOnSecondHomePage = lastId(HOME_POST, this.http.get("/?page=2").body());

		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> editor = this.http.get("/admin/posts/new", "Cookie", session);
		HttpResponse<String> created = this.http.postForm("/admin/posts/new",
				TestHttp.fields("title", "A new post moves the others along", "body", "One paragraph.", "category",
						String.valueOf(category.id()), "_csrf", BlogLogin.csrfToken(editor)),
				"Cookie", session);
		assertThat(created.statusCode()).isEqualTo(303);

		for (String page : moved) {
			assertThat(TestHttp.cacheResult(this.http.get(page))).as(page).isEqualTo("MISS");
		}
		assertThat(this.http.get("/").body()).contains("A new post moves the others along");
		assertThat(this.http.get(path).body()).contains("A new post moves the others along");
		assertThat(ids(HOME_POST, this.http.get("/?page=3").body())).first()
			.as("the post pushed from page 2 to page 3")
			.isEqualTo(Long.valueOf(lastOnSecondHomePage));
		assertThat(TestHttp.cacheResult(this.http.get(otherCategory))).as(otherCategory).isEqualTo("HIT");
	}

	private void warm(String path) {
		this.http.get(path);
		assertThat(TestHttp.cacheResult(this.http.get(path))).as(path).isEqualTo("HIT");
	}

	private CategoryRow largestCategory() {
		CategoryRow largest = this.jdbc.queryForObject("""
				select c.id, c.slug, count(*) as posts from categories c join posts p on p.category_id = c.id
				group by c.id, c.slug order by count(*) desc, c.id fetch first 1 rows only""",
				(row, number) -> new CategoryRow(row.getLong("id"), row.getString("slug")));
		assertThat(newestFirstIn(largest)).as("posts of the largest category").hasSizeGreaterThan(PAGE_SIZE);
		return largest;
	}

	/**
	 * A category other than the given one whose first page shows no post by the author
	 * the admin area signs new posts with: a page depends on the authors it shows (it
	 * lists their posts), so a new post by one of them refreshes it too.
	 */
	private CategoryRow categoryWithoutPostsOfTheSigningAuthor(CategoryRow not) {
		Long signing = this.jdbc.queryForObject("select min(id) from authors", Long.class);
		List<CategoryRow> categories = this.jdbc.query("select id, slug from categories order by id",
				(row, number) -> new CategoryRow(row.getLong("id"), row.getString("slug")));
		return categories.stream()
			.filter((category) -> category.id() != not.id())
			.filter((category) -> !this.jdbc
				.queryForList("select author_id from posts where category_id = ? order by published_at desc, id desc",
						Long.class, category.id())
				.stream()
				.limit(PAGE_SIZE)
				.toList()
				.contains(signing))
			.findFirst()
			.orElseThrow();
	}

	private List<Long> newestFirst() {
		return this.jdbc.queryForList("select id from posts order by published_at desc, id desc", Long.class);
	}

	private List<Long> newestFirstIn(CategoryRow category) {
		return this.jdbc.queryForList("select id from posts where category_id = ? order by published_at desc, id desc",
				Long.class, category.id());
	}

	private static List<Long> ids(Pattern pattern, String page) {
		Matcher matcher = pattern.matcher(page);
		List<Long> ids = new ArrayList<>();
		while (matcher.find()) {
			ids.add(Long.valueOf(matcher.group(1)));
		}
		return ids;
	}

	private static String lastId(Pattern pattern, String page) {
		List<Long> ids = ids(pattern, page);
		return String.valueOf(ids.get(ids.size() - 1));
	}

	/** The links to the previous and the next page, {@code null} where there is none. */
	private static List<String> links(String page) {
		return Arrays.asList(first(PREVIOUS, page), first(NEXT, page));
	}

	private static String first(Pattern pattern, String page) {
		Matcher matcher = pattern.matcher(page);
		return matcher.find() ? matcher.group(1) : null;
	}

	private record CategoryRow(long id, String slug) {

	}

}
