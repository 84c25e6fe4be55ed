package dev.pagecache.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.PathVariants;
import dev.pagecache.test.RawHttp.Response;
import dev.pagecache.test.RawHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Web cache deception and path confusion against a reader signed in through the login
 * form, whose pages greet them by name: whatever variant of a page's path the reader is
 * lured to, nothing of their page is stored, and an anonymous visitor who then asks for
 * the same variant, or for the page, never sees the reader's name. Each variant is
 * refused (Spring Security's firewall, Tomcat), bypasses, or is answered from the page's
 * canonical entry. When the session cookie stops being a credential (the cookie rule of
 * {@code CacheabilityRules.bypassReason} removed), the reader's page is stored and served
 * to everyone, and these tests fail for the page and for every variant that reaches the
 * application; the other variants are refused by Spring Security's
 * {@code StrictHttpFirewall} (semicolons, encoded slashes, dot segments, double slashes),
 * which runs before the page cache because of its filter order.
 */
@SpringBootTest(classes = SecuredPageApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.store=memory")
@ExpectedLogs(value = "org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver",
		because = "paths that do not convert are sent")
class CacheDeceptionTests {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	RawHttp http;

	String session;

	@BeforeEach
	void signIn() {
		this.pageCache.clear();
		this.http = new RawHttp(this.port);
		Response form = this.http.get("/login");
		Matcher csrf = CSRF.matcher(form.body());
		assertThat(csrf.find()).isTrue();
		String body = "username=reader&password=secret&_csrf=" + csrf.group(1);
		Response login = this.http.send("POST", "/login", body, "Cookie: " + cookie(form),
				"Content-Type: application/x-www-form-urlencoded", "Content-Length: " + body.length());
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.header("Location")).doesNotContain("error");
		this.session = cookie(login);
	}

	static List<String> variants() {
		return PathVariants.of("articles", "1");
	}

	@Test
	void signedInReaderSeesTheirNameAndNobodyElseDoes() {
		Response reader = this.http.get("/articles/1", "Cookie: " + this.session);
		assertThat(reader.body()).contains("Signed in as reader");
		assertThat(reader.cacheResult()).isEqualTo("BYPASS");
		Response anonymous = this.http.get("/articles/1");
		assertThat(anonymous.body()).doesNotContain("Signed in as");
		assertThat(this.http.get("/articles/1").cacheResult()).isEqualTo("HIT");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void variantVisitedBySignedInReaderIsNeverServedToOthers(String variant) {
		Response lured = this.http.get(variant, "Cookie: " + this.session);
		if (lured.status() == 200) {
			assertThat(lured.cacheResult()).isIn("BYPASS", "none");
		}
		Response anonymousVariant = this.http.get(variant);
		Response anonymousPage = this.http.get("/articles/1");
		assertThat(anonymousVariant.body()).doesNotContain("Signed in as");
		assertThat(anonymousPage.body()).doesNotContain("Signed in as");
		if (anonymousVariant.status() == 200 && anonymousVariant.cacheResult().equals("HIT")) {
			assertThat(anonymousVariant.body()).isEqualTo(anonymousPage.body());
		}
		assertThat(this.pageCache.pagesTagged(PageTags.route("/articles/{id}"))).hasSizeLessThanOrEqualTo(1);
	}

	private static String cookie(Response response) {
		for (String header : response.headers()) {
			if (header.regionMatches(true, 0, "Set-Cookie:", 0, 11) && header.contains("JSESSIONID=")) {
				return header.substring(11).trim().split(";")[0];
			}
		}
		throw new IllegalStateException("No session cookie in " + response.headers());
	}

}
