package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pagecache.test.TestHttp;

/**
 * Signing in to the blog and posting its forms, as a browser does: the login form and the
 * CSRF token of a page.
 *
 * @author pagecache
 */
final class BlogLogin {

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

	private BlogLogin() {
	}

	/**
	 * Sign in through the login form.
	 * @return the {@code Cookie} header value of the signed-in session
	 */
	static String login(TestHttp<String> http, String username, String password) {
		HttpResponse<String> loginPage = http.get("/login");
		String anonymousSession = TestHttp.sessionCookie(loginPage).orElseThrow();
		HttpResponse<String> loggedIn = http.postForm("/login",
				TestHttp.fields("username", username, "password", password, "_csrf", csrfToken(loginPage)), "Cookie",
				anonymousSession);
		if (loggedIn.statusCode() != 302 || !loggedIn.headers().firstValue("Location").orElse("").endsWith("/admin")) {
			throw new IllegalStateException("Login failed: " + loggedIn.statusCode() + " " + loggedIn.headers().map());
		}
		return TestHttp.sessionCookie(loggedIn).orElse(anonymousSession);
	}

	static String csrfToken(HttpResponse<String> page) {
		Matcher matcher = CSRF_FIELD.matcher(page.body());
		if (!matcher.find()) {
			throw new IllegalStateException("No CSRF token on the page:\n" + page.body());
		}
		return matcher.group(1);
	}

}
