package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pagecache.test.TestHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public comment form: validated, saved, redirected with 303, and refused when it
 * comes from another site. Each test comments on a post of its own.
 *
 * @author pagecache
 */
@BlogTest
class CommentTests {

	@LocalServerPort
	private int port;

	@Autowired
	private CommentRepository comments;

	@Autowired
	private SessionCounter sessions;

	private TestHttp<String> http;

	@BeforeEach
	void createClient() {
		this.http = TestHttp.text(this.port);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			''         | A comment without a name   | Please tell us your name.
			'   '      | Blank names do not count   | Please tell us your name.
			Ines       | ''                         | Please write a comment.
			LONG_NAME  | A comment from a long name | Your name can be at most 80 characters long.
			Ines       | LONG_BODY                  | A comment can be at most 2000 characters long.
			""")
	void invalidCommentGetsTheFormBackWith422AndSavesNothing(String author, String body, String message) {
		long before = this.comments.countByPostId(11L);
		HttpResponse<String> response = postComment(11, expand(author), expand(body), "Sec-Fetch-Site", "same-origin");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("Your comment was not saved")
			.contains(message)
			.contains("action=\"/posts/11/comments\"");
		assertThat(this.comments.countByPostId(11L)).isEqualTo(before);
	}

	@Test
	void invalidCommentKeepsWhatTheReaderTyped() {
		HttpResponse<String> response = postComment(11, "", "Keep this text, please.", "Sec-Fetch-Site", "same-origin");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains(">Keep this text, please.</textarea>");
	}

	@Test
	void validCommentRedirectsWith303AndShowsOnThePostPage() {
		long before = this.comments.countByPostId(12L);
		HttpResponse<String> response = postComment(12, "Ines", "A comment that shows at once.", "Origin",
				this.http.origin(), "Sec-Fetch-Site", "same-origin");
		assertThat(response.statusCode()).isEqualTo(303);
		assertThat(response.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).matches(".*/posts/12#comment-\\d+"));
		assertThat(this.comments.countByPostId(12L)).isEqualTo(before + 1);
		HttpResponse<String> page = this.http.get("/posts/12");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("A comment that shows at once.").contains("Ines");
	}

	@Test
	void publishedCommentIsAnnouncedToItsWriterOnceAndThatPageIsNeverStored() {
		int sessionsBefore = this.sessions.created();
		this.http.get("/posts/15");
		assertThat(TestHttp.cacheResult(this.http.get("/posts/15"))).isEqualTo("HIT");
		HttpResponse<String> published = postComment(15, "Ines", "Announced once, cached never.", "Origin",
				this.http.origin(), "Sec-Fetch-Site", "same-origin");
		assertThat(published.statusCode()).isEqualTo(303);
		String location = published.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches(".*/posts/15#comment-\\d+");
		String commentId = location.substring(location.indexOf("#comment-") + "#comment-".length());
		String setFlash = published.headers().firstValue("Set-Cookie").orElseThrow();
		assertThat(setFlash).startsWith(CookieFlashMapManager.COOKIE + "=")
			.contains("Max-Age=180")
			.contains("HttpOnly")
			.contains("SameSite=Lax");
		String flashCookie = setFlash.substring(0, setFlash.indexOf(';'));

		HttpResponse<String> announced = this.http.get("/posts/15", "Cookie", flashCookie);
		assertThat(announced.statusCode()).isEqualTo(200);
		assertThat(TestHttp.cacheResult(announced)).isEqualTo("BYPASS");
		assertThat(announced.body()).contains("Announced once, cached never.")
			.contains("<article class=\"comment just-published\" id=\"comment-" + commentId + "\"")
			.contains("Your comment was published.");
		assertThat(announced.headers().allValues("Set-Cookie")).singleElement()
			.satisfies((cookie) -> assertThat(cookie).startsWith(CookieFlashMapManager.COOKIE + "=;")
				.contains("Max-Age=0"));

		HttpResponse<String> nextReader = this.http.get("/posts/15");
		assertThat(TestHttp.cacheResult(nextReader)).as("rendered again: the comment dropped the page")
			.isEqualTo("MISS");
		HttpResponse<String> readerAfter = this.http.get("/posts/15");
		assertThat(TestHttp.cacheResult(readerAfter)).isEqualTo("HIT");
		for (HttpResponse<String> anonymous : List.of(nextReader, readerAfter)) {
			assertThat(anonymous.body()).contains("Announced once, cached never.")
				.doesNotContain("Your comment was published")
				.doesNotContain("just-published");
		}
		assertThat(this.sessions.created()).isEqualTo(sessionsBefore);
	}

	@Test
	void flashCookieThatWasTamperedWithShowsNothing() {
		HttpResponse<String> page = this.http.get("/posts/16", "Cookie", CookieFlashMapManager.COOKIE + "=not-base64!");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).doesNotContain("Your comment was published");
	}

	@Test
	void commentIsShownAsTextNotAsMarkup() {
		HttpResponse<String> response = postComment(12, "<b>Mallory</b>", "<script>alert(1)</script>", "Sec-Fetch-Site",
				"same-origin");
		assertThat(response.statusCode()).isEqualTo(303);
		String page = this.http.get("/posts/12").body();
		assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
		assertThat(page).contains("&lt;b&gt;Mallory&lt;/b&gt;");
	}

	@Test
	void commentFromAnotherOriginIsRefusedAndSavesNothing() {
		long before = this.comments.countByPostId(13L);
		HttpResponse<String> response = postComment(13, "Mallory", "Posted from evil.example", "Origin",
				"https://evil.example");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(this.comments.countByPostId(13L)).isEqualTo(before);
	}

	@ParameterizedTest
	@CsvSource({ "cross-site", "same-site" })
	void commentThatTheBrowserMarksAsNotSameOriginIsRefusedAndSavesNothing(String fetchSite) {
		long before = this.comments.countByPostId(13L);
		// the Origin alone would pass: Sec-Fetch-Site decides when a browser sends it
		HttpResponse<String> response = postComment(13, "Mallory", "Posted from a form elsewhere", "Origin",
				this.http.origin(), "Sec-Fetch-Site", fetchSite);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.comments.countByPostId(13L)).isEqualTo(before);
	}

	@Test
	void commentFromAnOpaqueOriginIsRefused() {
		long before = this.comments.countByPostId(13L);
		HttpResponse<String> response = postComment(13, "Mallory", "Posted from a sandboxed frame", "Origin", "null");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.comments.countByPostId(13L)).isEqualTo(before);
	}

	@Test
	void commentWithoutBrowserHeadersIsAccepted() {
		// no Origin and no Sec-Fetch-Site: not a browser, so not cross-site request
		// forgery
		HttpResponse<String> response = postComment(14, "curl", "Posted from a script");
		assertThat(response.statusCode()).isEqualTo(303);
	}

	@Test
	void commentOnAMissingPostIsNotFound() {
		HttpResponse<String> response = postComment(999999, "Ines", "Where did it go?", "Sec-Fetch-Site",
				"same-origin");
		assertThat(response.statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> postComment(long postId, String author, String body, String... headers) {
		return this.http.postForm("/posts/" + postId + "/comments", TestHttp.fields("author", author, "body", body),
				headers);
	}

	private static String expand(String value) {
		return switch (value) {
			case "LONG_NAME" -> "n".repeat(81);
			case "LONG_BODY" -> "b".repeat(2001);
			default -> value;
		};
	}

}
