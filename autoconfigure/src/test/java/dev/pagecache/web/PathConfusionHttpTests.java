package dev.pagecache.web;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.PathVariants;
import dev.pagecache.test.RawHttp.Response;
import dev.pagecache.test.RawHttp;
import dev.pagecache.testapp.PageTestApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path confusion without any firewall in front (no Spring Security): each raw variant of
 * a page's path ({@link PathVariants}) is refused by Tomcat or Spring MVC, bypasses the
 * cache, or is answered from the page's own canonical entry; none is stored under a key
 * of its own. Fails when {@code PageKeys.canonicalPath} accepts matrix parameters
 * ({@code ;}) or encoded characters it now refuses: the variant is then stored as a
 * second entry of the route.
 */
@SpringBootTest(classes = PageTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.store=memory")
@ExpectedLogs(
		value = { "org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver",
				"org.springframework.web.servlet.resource.ResourceHandlerUtils" },
		because = "malformed paths are refused")
class PathConfusionHttpTests {

	private static final String ROUTE = PageTags.route("/articles/{id}");

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

	static List<String> variants() {
		return PathVariants.of("articles", "1");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("variants")
	void variantIsTheCanonicalPageOrBypassesAndIsNeverStoredUnderAKeyOfItsOwn(String variant) {
		Response page = this.http.get("/articles/1");
		assertThat(page.cacheResult()).isEqualTo("MISS");
		List<String> keys = this.pageCache.pagesTagged(ROUTE);
		assertThat(keys).hasSize(1);
		Response confused = this.http.get(variant);
		if (confused.status() == 200) {
			assertThat(confused.cacheResult()).isIn("BYPASS", "HIT", "none");
			if (confused.cacheResult().equals("HIT")) {
				assertThat(confused.body()).isEqualTo(page.body());
			}
		}
		this.http.get(variant);
		assertThat(this.pageCache.pagesTagged(ROUTE)).containsExactlyElementsOf(keys);
	}

}
