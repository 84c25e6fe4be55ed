package dev.pagecache.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.TestHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin area: form login with the configured credentials, CSRF protection on every
 * form, posts written and edited, comments deleted.
 *
 * @author pagecache
 */
@BlogTest
class AdminTests {

	@LocalServerPort
	private int port;

	@Autowired
	private PostRepository posts;

	@Autowired
	private CommentRepository comments;

	private TestHttp<String> http;

	@BeforeEach
	void createClient() {
		this.http = TestHttp.text(this.port);
	}

	@Test
	void anonymousAdminRequestIsSentToTheLoginPage() {
		HttpResponse<String> response = this.http.get("/admin/posts/new");
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login"));
	}

	@Test
	void loginWithTheConfiguredCredentialsOpensTheAdminArea() {
		HttpResponse<String> loginPage = this.http.get("/login");
		String anonymousSession = TestHttp.sessionCookie(loginPage).orElseThrow();
		HttpResponse<String> loggedIn = this.http.postForm("/login", TestHttp.fields("username", BlogTest.USERNAME,
				"password", BlogTest.PASSWORD, "_csrf", BlogLogin.csrfToken(loginPage)), "Cookie", anonymousSession);
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		assertThat(loggedIn.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/admin"));
		String session = TestHttp.sessionCookie(loggedIn).orElseThrow();
		assertThat(session).as("a new session id after login").isNotEqualTo(anonymousSession);
		HttpResponse<String> admin = this.http.get("/admin", "Cookie", session);
		assertThat(admin.statusCode()).isEqualTo(200);
		assertThat(admin.body()).contains("Write a new post");
	}

	@Test
	void loginWithAWrongPasswordIsRefused() {
		HttpResponse<String> loginPage = this.http.get("/login");
		String session = TestHttp.sessionCookie(loginPage).orElseThrow();
		HttpResponse<String> refused = this.http.postForm("/login", TestHttp.fields("username", BlogTest.USERNAME,
				"password", "admin", "_csrf", BlogLogin.csrfToken(loginPage)), "Cookie", session);
		assertThat(refused.statusCode()).isEqualTo(302);
		assertThat(refused.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/login?error"));
		String after = TestHttp.sessionCookie(refused).orElse(session);
		assertThat(this.http.get("/admin", "Cookie", after).statusCode()).isEqualTo(302);
	}

	@Test
	void loginWithoutCsrfTokenIsRefused() {
		HttpResponse<String> loginPage = this.http.get("/login");
		String session = TestHttp.sessionCookie(loginPage).orElseThrow();
		HttpResponse<String> refused = this.http.postForm("/login",
				TestHttp.fields("username", BlogTest.USERNAME, "password", BlogTest.PASSWORD), "Cookie", session);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(this.http.get("/admin", "Cookie", session).statusCode()).isEqualTo(302);
	}

	@Test
	void adminPostWithoutCsrfTokenIsRefusedAndSavesNothing() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		long before = this.posts.count();
		HttpResponse<String> refused = this.http.postForm("/admin/posts/new",
				TestHttp.fields("title", "Forged", "body", "Forged body", "category", "1"), "Cookie", session);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(this.posts.count()).isEqualTo(before);
		String originalTitle = this.posts.findById(21L).orElseThrow().getTitle();
		HttpResponse<String> refusedEdit = this.http.postForm("/admin/posts/21/edit",
				TestHttp.fields("title", "Forged", "body", "Forged body", "category", "1"), "Cookie", session);
		assertThat(refusedEdit.statusCode()).isEqualTo(403);
		assertThat(this.posts.findById(21L).orElseThrow().getTitle()).isEqualTo(originalTitle);
	}

	@Test
	void adminDeleteWithoutCsrfTokenIsRefused() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		Long commentId = this.comments.findTop30ByOrderByCreatedAtDescIdDesc().get(0).getId();
		HttpResponse<String> refused = this.http.postForm("/admin/comments/" + commentId + "/delete", TestHttp.fields(),
				"Cookie", session);
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(this.comments.existsById(commentId)).isTrue();
	}

	@Test
	void adminWritesAPostThatShowsOnThePublicPages() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> editor = this.http.get("/admin/posts/new", "Cookie", session);
		assertThat(editor.statusCode()).isEqualTo(200);
		HttpResponse<String> created = this.http.postForm(
				"/admin/posts/new", TestHttp.fields("title", "Hello from the admin area", "body",
						"First paragraph.\n\nSecond paragraph.", "category", "2", "_csrf", BlogLogin.csrfToken(editor)),
				"Cookie", session);
		assertThat(created.statusCode()).isEqualTo(303);
		String location = created.headers().firstValue("Location").orElseThrow();
		assertThat(location).matches(".*/posts/\\d+");
		String page = this.http.get(location.substring(location.indexOf("/posts/"))).body();
		assertThat(page).contains("Hello from the admin area").contains("<p>Second paragraph.</p>");
		assertThat(this.http.get("/").body()).contains("Hello from the admin area");
	}

	@Test
	void invalidPostGetsTheEditorBackWith422() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> editor = this.http.get("/admin/posts/22/edit", "Cookie", session);
		String originalTitle = this.posts.findById(22L).orElseThrow().getTitle();
		HttpResponse<String> refused = this.http.postForm("/admin/posts/22/edit",
				TestHttp.fields("title", " ", "body", "Body", "category", "1", "_csrf", BlogLogin.csrfToken(editor)),
				"Cookie", session);
		assertThat(refused.statusCode()).isEqualTo(422);
		assertThat(refused.body()).contains("A post needs a title.");
		assertThat(this.posts.findById(22L).orElseThrow().getTitle()).isEqualTo(originalTitle);
	}

	@Test
	void adminDeletesAComment() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> commented = this.http.postForm("/posts/23/comments",
				TestHttp.fields("author", "Spammer", "body", "Buy cheap watches"), "Sec-Fetch-Site", "same-origin");
		assertThat(commented.statusCode()).isEqualTo(303);
		assertThat(this.http.get("/posts/23").body()).contains("Buy cheap watches");
		Comment spam = this.comments.findTop30ByOrderByCreatedAtDescIdDesc().get(0);
		assertThat(spam.getBody()).isEqualTo("Buy cheap watches");
		HttpResponse<String> dashboard = this.http.get("/admin", "Cookie", session);
		HttpResponse<String> deleted = this.http.postForm("/admin/comments/" + spam.getId() + "/delete",
				TestHttp.fields("_csrf", BlogLogin.csrfToken(dashboard)), "Cookie", session);
		assertThat(deleted.statusCode()).isEqualTo(303);
		assertThat(this.comments.existsById(spam.getId())).isFalse();
		assertThat(this.http.get("/posts/23").body()).doesNotContain("Buy cheap watches");
	}

	@Test
	void logoutEndsTheSessionAndDeletesTheCookie() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> dashboard = this.http.get("/admin", "Cookie", session);
		HttpResponse<String> loggedOut = this.http.postForm("/logout",
				TestHttp.fields("_csrf", BlogLogin.csrfToken(dashboard)), "Cookie", session);
		assertThat(loggedOut.statusCode()).isEqualTo(302);
		assertThat(loggedOut.headers().allValues("Set-Cookie"))
			.anySatisfy((cookie) -> assertThat(cookie).startsWith("JSESSIONID=;").contains("1970"));
		assertThat(this.http.get("/admin", "Cookie", session).statusCode()).isEqualTo(302);
	}

}
