package dev.pagecache.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.reflecting.ReflectingApplication;
import dev.pagecache.test.RawHttp.Response;
import dev.pagecache.test.RawHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions tracked in URLs only ({@code server.servlet.session.tracking-modes=url}): a
 * page that creates a session sends no {@code Set-Cookie}, yet Thymeleaf's links carry
 * {@code ;jsessionid=}, rewritten by the servlet container. Such a body is never stored,
 * and a request that names a session in its URL bypasses. Fails when the new-session rule
 * of {@code CacheabilityRules.noStoreReason} looks only for {@code Set-Cookie} (the
 * {@code request.getSession(false)} check removed): the first visitor's session id is
 * then served to the next. The bypass of a URL that names a session fails when
 * {@code PageKeys.canonicalPath} accepts matrix parameters.
 */
@SpringBootTest(classes = ReflectingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "server.servlet.session.tracking-modes=url" })
class SessionPrivacyHttpTests {

	private static final Pattern SESSION_ID = Pattern.compile(";jsessionid=([0-9A-Fa-f]+)");

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	RawHttp http;

	@BeforeEach
	void setUp() {
		this.http = new RawHttp(this.port);
		this.pageCache.clear();
	}

	@Test
	void sessionIdRewrittenIntoLinksNeverReachesAStoredBody() {
		Response first = this.http.get("/visits/1");
		assertThat(first.header("Set-Cookie")).isEqualTo("none");
		Matcher session = SESSION_ID.matcher(first.body());
		assertThat(session.find()).as("links carry the session id").isTrue();
		Response second = this.http.get("/visits/1");
		assertThat(second.cacheResult()).isNotEqualTo("HIT");
		assertThat(second.body()).doesNotContain(session.group(1));
	}

	@Test
	void requestThatNamesASessionInItsUrlBypasses() {
		Response first = this.http.get("/visits/2");
		Matcher session = SESSION_ID.matcher(first.body());
		assertThat(session.find()).isTrue();
		Response member = this.http.get("/pages/2;jsessionid=" + session.group(1));
		assertThat(member.cacheResult()).isEqualTo("BYPASS");
		Response clean = this.http.get("/pages/2");
		assertThat(clean.cacheResult()).isEqualTo("MISS");
		assertThat(clean.body()).doesNotContain(session.group(1));
	}

}
