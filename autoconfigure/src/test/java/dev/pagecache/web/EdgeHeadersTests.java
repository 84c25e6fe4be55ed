package dev.pagecache.web;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageTags;
import dev.pagecache.autoconfigure.PageCacheProperties.TagHeader;
import dev.pagecache.edge.EdgePurger;
import dev.pagecache.store.PageEntry;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import org.springframework.web.servlet.i18n.FixedLocaleResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared-cache headers of {@code pagecache.edge.enabled=true}: stored pages are
 * shared for their remaining TTL with their tag tokens, everything else is private, and
 * the tag header keeps within the limits the edges document.
 *
 * @author pagecache
 */
class EdgeHeadersTests {

	private static final String SHARED_60 = "public, s-maxage=60, max-age=0, must-revalidate";

	private final PageFilterFixture fixture = new PageFilterFixture();

	@BeforeEach
	void edgeOn() {
		this.fixture.edge(new EdgeHeaders(true, TagHeader.XKEY, new InFlightResponses(), () -> false));
	}

	@AfterEach
	void releaseHeldRenders() {
		this.fixture.controller.release();
	}

	@Test
	void storedPageIsSharedForItsRemainingTtlOnTheMissThatStoredItAndOnHits() throws Exception {
		MockHttpServletResponse miss = this.fixture.get("/pages/1");
		assertThat(miss.getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(miss.getHeaderValues("Cache-Control")).containsExactly(SHARED_60);
		assertThat(miss.getHeader("ETag")).isNotNull();
		this.fixture.clock.advance(Duration.ofSeconds(25));
		MockHttpServletResponse hit = this.fixture.get("/pages/1");
		assertThat(hit.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(hit.getHeaderValues("Cache-Control"))
			.containsExactly("public, s-maxage=35, max-age=0, must-revalidate");
		assertThat(hit.getHeader("Age")).as("an edge would subtract it from s-maxage").isNull();
		assertThat(hit.getHeader("ETag")).isEqualTo(miss.getHeader("ETag"));
	}

	@Test
	void sharedPageVariesByAcceptLanguageUnlessTheLocaleIsFixed() throws Exception {
		assertThat(this.fixture.get("/pages/1").getHeaders("Vary")).containsExactly("Accept-Encoding");
		this.fixture.edge(new EdgeHeaders(true, TagHeader.XKEY, new InFlightResponses(), () -> true));
		MockHttpServletResponse miss = this.fixture.get("/pages/2");
		assertThat(miss.getHeaderValues("Cache-Control")).containsExactly(SHARED_60);
		assertThat(miss.getHeaders("Vary")).containsExactly("Accept-Encoding, Accept-Language");
		assertThat(this.fixture.get("/pages/2").getHeaders("Vary")).containsExactly("Accept-Encoding, Accept-Language");
		assertThat(EdgeHeaders.localeVaries(null)).isTrue();
		assertThat(EdgeHeaders.localeVaries(new AcceptHeaderLocaleResolver())).isTrue();
		assertThat(EdgeHeaders.localeVaries(new FixedLocaleResolver())).isFalse();
	}

	@Test
	void storedPageCarriesTheTokensOfItsTagsAndOfEveryPage() throws Exception {
		MockHttpServletResponse miss = this.fixture.get("/pages/1");
		String xkey = miss.getHeader("xkey");
		assertThat(xkey).isNotNull();
		assertThat(xkey.split(" ")).contains(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG),
				EdgePurger.Purge.token(PageTags.path("/pages/1")),
				EdgePurger.Purge.token(PageTags.route("/pages/{id}")));
		assertThat(this.fixture.get("/pages/1").getHeader("xkey")).isEqualTo(xkey);
	}

	@Test
	void everyStoredPageIsListedInTheStoreUnderTheTagOfEveryPageAlsoWithoutTagHeader() throws Exception {
		this.fixture.get("/pages/1");
		this.fixture.edge(new EdgeHeaders(true, TagHeader.NONE, new InFlightResponses(), () -> false));
		MockHttpServletResponse untagged = this.fixture.get("/pages/2");
		assertThat(untagged.getHeader("xkey")).isNull();
		assertThat(this.fixture.store.keysTagged(EdgePurger.Purge.ALL_PAGES_TAG)).hasSize(2)
			.allSatisfy((key) -> assertThat(key).contains("/pages/"));
	}

	@Test
	void browsersStillRevalidateWithTheEtag() throws Exception {
		String etag = this.fixture.get("/pages/1").getHeader("ETag");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/pages/1");
		request.addHeader("If-None-Match", etag);
		MockHttpServletResponse notModified = this.fixture.perform(request);
		assertThat(notModified.getStatus()).isEqualTo(304);
		assertThat(notModified.getHeaderValues("Cache-Control")).containsExactly(SHARED_60);
	}

	@Test
	void pageWhosePutWasRefusedIsPrivate() throws Exception {
		this.fixture.controller.hold();
		CompletableFuture<MockHttpServletResponse> render = CompletableFuture
			.supplyAsync(() -> perform(new MockHttpServletRequest("GET", "/pages/1")));
		this.fixture.controller.awaitEntered();
		this.fixture.store.invalidate(List.of(PageTags.path("/pages/1")));
		this.fixture.controller.release();
		MockHttpServletResponse refused = render.get();
		assertThat(refused.getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(this.fixture.store.keysTagged(PageTags.path("/pages/1"))).as("the put was refused").isEmpty();
		assertThat(refused.getHeaderValues("Cache-Control")).containsExactly(EdgeHeaders.PRIVATE);
		assertThat(refused.getHeader("xkey")).isNull();
	}

	@Test
	void pageRequestedWithAQueryItsKeyIgnoresIsStoredButPrivate() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/pages/1");
		request.setQueryString("utm_source=mail");
		request.addParameter("utm_source", "mail");
		MockHttpServletResponse response = this.fixture.perform(request);
		assertThat(this.fixture.store.keysTagged(PageTags.path("/pages/1"))).hasSize(1);
		assertThat(response.getHeaderValues("Cache-Control")).containsExactly(EdgeHeaders.PRIVATE);
		assertThat(this.fixture.get("/pages/1").getHeaderValues("Cache-Control")).containsExactly(SHARED_60);
	}

	@Test
	void requestWithCredentialsIsPrivate() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/pages/1");
		request.addHeader("Authorization", "Basic YTpi");
		MockHttpServletResponse response = this.fixture.perform(request);
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("BYPASS");
		assertThat(response.getHeaderValues("Cache-Control")).containsExactly(EdgeHeaders.PRIVATE);
	}

	@Test
	void pageWithLessThanASecondLeftIsPrivate() throws Exception {
		this.fixture.get("/pages/1");
		this.fixture.clock.advance(Duration.ofMillis(59_500));
		MockHttpServletResponse hit = this.fixture.get("/pages/1");
		assertThat(hit.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(hit.getHeaderValues("Cache-Control")).containsExactly(EdgeHeaders.PRIVATE);
		assertThat(hit.getHeader("Age")).isEqualTo("59");
	}

	@Test
	void withoutTheEdgePagesAreForBrowsersOnly() throws Exception {
		PageFilterFixture off = new PageFilterFixture();
		off.get("/pages/1");
		MockHttpServletResponse hit = off.get("/pages/1");
		assertThat(hit.getHeaderValues("Cache-Control")).containsExactly(Revalidation.CACHE_CONTROL);
		assertThat(hit.getHeader("xkey")).isNull();
		assertThat(hit.getHeader("Age")).isNotNull();
	}

	@Test
	void tagsThatDoNotFitTheEdgesLimitGetNoTagHeaderAndArePurgedByUrl() {
		Set<String> tags = new LinkedHashSet<>();
		for (int i = 0; tags.size() < 600; i++) {
			tags.add("Post#" + i);
		}
		PageEntry entry = new PageEntry(200, List.of(), new byte[0], 0, "\"e\"", 0, tags);
		PageEntry varnish = new EdgeHeaders(true, TagHeader.XKEY, new InFlightResponses(), () -> false)
			.withTagHeader(entry);
		assertThat(varnish.headers()).isEmpty();
		assertThat(varnish.tags()).contains(EdgePurger.Purge.PURGED_BY_URL_TAG).containsAll(tags);
		PageEntry fastly = new EdgeHeaders(true, TagHeader.SURROGATE_KEY, new InFlightResponses(), () -> false)
			.withTagHeader(entry);
		assertThat(fastly.tags()).doesNotContain(EdgePurger.Purge.PURGED_BY_URL_TAG);
		assertThat(fastly.headers()).singleElement().satisfies((header) -> {
			assertThat(header.name()).isEqualTo("Surrogate-Key");
			assertThat(header.value().split(" ")).hasSize(601);
			assertThat(header.value().length()).isLessThanOrEqualTo(16384);
		});
	}

	@Test
	void tagHeaderStaysWithinEachEdgesDocumentedLimit() {
		for (TagHeader header : List.of(TagHeader.XKEY, TagHeader.SURROGATE_KEY, TagHeader.CACHE_TAG)) {
			Set<String> tags = new LinkedHashSet<>();
			String value = "";
			for (int i = 0; EdgeHeaders.tagHeaderValue(tags, header) != null; i++) {
				value = EdgeHeaders.tagHeaderValue(tags, header);
				tags.add("Comment#" + i);
			}
			int limit = (header == TagHeader.XKEY) ? 8192 - "xkey: ".length() - 2 : 16384;
			assertThat(value.length()).as(header.headerName()).isLessThanOrEqualTo(limit).isGreaterThan(limit - 15);
			assertThat(value).doesNotContain((header == TagHeader.CACHE_TAG) ? " " : ",");
		}
	}

	private MockHttpServletResponse perform(MockHttpServletRequest request) {
		try {
			return this.fixture.perform(request);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
