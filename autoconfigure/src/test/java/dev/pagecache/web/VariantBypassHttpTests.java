package dev.pagecache.web;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RawHttp;
import dev.pagecache.test.RawHttp.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.convert.ConversionService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a client can vary without limit bypass the cache and are never stored (DESIGN
 * section 10, memory under attack), over HTTP with the in-memory store: variants of a
 * converted path variable or query parameter ({@code /posts/01}, {@code ?page=02}), and
 * hosts or ports outside {@code pagecache.allowed-hosts}. Each is still answered, as the
 * application answers it. Fails when {@code PageCacheFilter.resolve} keys such requests
 * (its call of {@code PageRoute.nonCanonicalArgument}, or the {@code AllowedHosts} check
 * of {@code CacheabilityRules}, taken out): the variant is then a {@code MISS} stored
 * under a key of its own.
 */
@SpringBootTest(classes = VariantBypassHttpTests.VariantsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "pagecache.allowed-hosts=LocalHost,127.0.0.1,127.0.0.1:8443" })
@ExpectedLogs(value = "org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver",
		because = "values that do not convert are sent")
class VariantBypassHttpTests {

	private static final String POSTS = PageTags.route("/posts/{id}");

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	@Autowired
	VariantsController controller;

	@Autowired
	@Qualifier("mvcConversionService")
	ConversionService conversionService;

	RawHttp http;

	@BeforeEach
	void setUp() {
		this.http = new RawHttp(this.port);
		this.pageCache.clear();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/posts/07", "/posts/0007", "/posts/+7", "/posts/%2B7", "/posts/7%20", "/posts/0x7",
			"/posts/7?page=01", "/posts/7?page=+1", "/posts/7?page=1&page=2" })
	void variantOfAConvertedArgumentIsServedUncachedAndNeverStored(String variant) {
		assertThat(this.http.get("/posts/7").cacheResult()).isEqualTo("MISS");
		List<String> keys = this.pageCache.pagesTagged(POSTS);
		int renders = this.controller.renders();
		for (int i = 0; i < 2; i++) {
			Response response = this.http.get(variant);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.cacheResult()).isEqualTo("BYPASS");
			assertThat(response.body()).startsWith("post 7 page 1 ");
		}
		assertThat(this.controller.renders()).as("renders of the variant").isEqualTo(renders + 2);
		assertThat(this.pageCache.pagesTagged(POSTS)).containsExactlyElementsOf(keys);
		assertThat(this.http.get("/posts/7").cacheResult()).isEqualTo("HIT");
	}

	@Test
	void canonicalValuesAreCachedEachUnderItsOwnKey() {
		assertThat(this.http.get("/posts/7?page=2").cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/posts/7?page=2").cacheResult()).isEqualTo("HIT");
		assertThat(this.http.get("/posts/0").cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/posts/-7").cacheResult()).isEqualTo("MISS");
		assertThat(this.pageCache.pagesTagged(POSTS)).hasSize(3);
	}

	@Test
	void valueThatDoesNotConvertIsAnsweredByTheApplicationUncached() {
		Response response = this.http.get("/posts/seven");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.cacheResult()).isIn("BYPASS", "none");
		assertThat(this.pageCache.pagesTagged(POSTS)).isEmpty();
	}

	@Test
	void dateInItsIsoFormIsCachedThoughTheApplicationPrintsDatesInAnotherForm() {
		String day = LocalDate.of(2025, 1, 2).toString();
		assertThat(this.conversionService.convert(LocalDate.of(2025, 1, 2), String.class)).isNotEqualTo(day);
		assertThat(this.http.get("/days/" + day).cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/days/" + day).cacheResult()).isEqualTo("HIT");
	}

	@Test
	void stringPathVariablesAreKeyedAsTheyCome() {
		assertThat(this.http.get("/tags/007").cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/tags/7").cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/tags/007").cacheResult()).isEqualTo("HIT");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "evil.example", "localhost.", "localhost.evil.example", "127.0.0.2", "[::1]" })
	void hostOutsideTheAllowedHostsIsServedUncachedAndNeverStored(String host) {
		assertThat(this.http.get("/posts/7").cacheResult()).isEqualTo("MISS");
		for (int i = 0; i < 2; i++) {
			Response response = this.http.get("/posts/7", "Host: " + host + ":" + this.port);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.cacheResult()).isEqualTo("BYPASS");
		}
		assertThat(this.pageCache.pagesTagged(POSTS)).hasSize(1);
	}

	@Test
	void allowedHostIsMatchedInAnyCase() {
		assertThat(this.http.get("/posts/7", "Host: localhost:" + this.port).cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/posts/7", "Host: LOCALHOST:" + this.port).cacheResult()).isEqualTo("HIT");
	}

	@Test
	void allowedHostOnAPortNeitherDefaultNorTheServersNorListedIsServedUncached() {
		for (int port : new int[] { 1, 8080, 8443, 65535 }) {
			if (port == this.port) {
				continue;
			}
			Response response = this.http.get("/posts/7", "Host: localhost:" + port);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.cacheResult()).as("port %d", port).isEqualTo("BYPASS");
		}
		assertThat(this.pageCache.pagesTagged(POSTS)).isEmpty();
	}

	@Test
	void allowedHostOnTheDefaultPortOrAListedOneUsesTheCache() {
		assertThat(this.http.get("/posts/7", "Host: localhost").cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/posts/7", "Host: localhost:80").cacheResult()).isEqualTo("HIT");
		assertThat(this.http.get("/posts/7", "Host: 127.0.0.1:8443").cacheResult()).isEqualTo("MISS");
		assertThat(this.http.get("/posts/7", "Host: 127.0.0.1:8443").cacheResult()).isEqualTo("HIT");
		assertThat(this.http.get("/posts/7", "Host: localhost:8443").cacheResult()).isEqualTo("BYPASS");
	}

	@RestController
	static class VariantsController {

		private final AtomicInteger renders = new AtomicInteger();

		int renders() {
			return this.renders.get();
		}

		@GetMapping("/posts/{id}")
		@CachePage(tags = "'Post#' + #id")
		String post(@PathVariable long id, @RequestParam(defaultValue = "1") int page) {
			return "post " + id + " page " + page + " render " + this.renders.incrementAndGet();
		}

		@GetMapping("/days/{day}")
		@CachePage
		String day(@PathVariable LocalDate day) {
			return "day " + day;
		}

		@GetMapping("/tags/{tag}")
		@CachePage
		String tag(@PathVariable String tag) {
			return "tag " + tag;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(VariantsController.class)
	static class VariantsApplication {

	}

}
