package dev.pagecache.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pagecache.PageCache;
import dev.pagecache.reflecting.ReflectingApplication;
import dev.pagecache.reflecting.ReflectingController;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RawHttp.Response;
import dev.pagecache.test.RawHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cache poisoning (DESIGN S2): a canary sent in an unkeyed header, an unkeyed query
 * parameter, a GET body or a method-override header never appears in a page served to a
 * clean request, and error responses are never stored under the page's key.
 * <p>
 * The application reflects each input as real ones do ({@link ReflectingController}),
 * with {@code server.forward-headers-strategy=framework} so that forwarded headers reach
 * the links it builds, and 404 made storable, so that only the {@code /error} rule keeps
 * a refused page out. Each test first sends the canary, checks where it can that the
 * application did reflect it to its sender, then checks that a clean request neither sees
 * it nor is refused caching. What each test proves fails when its protection is taken out
 * of the production code:
 * <ul>
 * <li>forwarded host, proto, port, prefix, {@code Forwarded}, {@code X-Forwarded-Ssl},
 * {@code Host}: scheme, host, port or context path dropped from
 * {@code PageKeys.key};</li>
 * <li>{@code Accept-Language}: the locale dropped from {@code PageKeys.key};</li>
 * <li>a path that spells {@code " locale=de-DE"}: the path no longer encoded in
 * {@code PageKeys.key};</li>
 * <li>every printed header, {@code User-Agent} and the method-override headers:
 * {@code KeyedRequest.noteRead} made a no-op;</li>
 * <li>the client address ({@code X-Forwarded-For}, {@code Forwarded: for=}):
 * {@code KeyedRequest.getRemoteAddr} no longer noting it;</li>
 * <li>{@code Accept}: {@code KeyedRequest.isCanonicalAccept} returning
 * {@code false};</li>
 * <li>query parameters: {@code KeyedRequest} passing every parameter through;</li>
 * <li>GET bodies: the {@code request body} rule of {@code CacheabilityRules.bypassReason}
 * removed;</li>
 * <li>{@code Vary} on a header outside the key, a CSP nonce: the vary or nonce rule of
 * {@code CacheabilityRules.noStoreReason} removed;</li>
 * <li>a 503 page: the status rule of {@code CacheabilityRules.noStoreReason} removed; a
 * 404 through {@code /error}: {@code CachingResponseWrapper.sendError} no longer
 * abandoning the capture.</li>
 * </ul>
 */
@SpringBootTest(classes = ReflectingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "server.forward-headers-strategy=framework",
				"pagecache.cacheable-statuses=200,404" })
@ExpectedLogs(value = "org.apache.catalina.core.ContainerBase", because = "a handler throws to make an error page")
class PoisoningHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	ReflectingController controller;

	@Autowired
	PageCache pageCache;

	RawHttp http;

	@BeforeEach
	void setUp() {
		this.http = new RawHttp(this.port);
		this.pageCache.clear();
		this.controller.failure = null;
	}

	static Stream<Canary> unkeyedHeaders() {
		List<Canary> canaries = new ArrayList<>();
		canaries.add(new Canary("X-Forwarded-Host", "canary-host.example:{port}", "canary-host", "/pages/"));
		canaries.add(new Canary("X-Forwarded-Proto", "https", "https:", "/pages/"));
		canaries.add(new Canary("X-Forwarded-Prefix", "/canary-prefix", "/canary-prefix", "/pages/"));
		canaries.add(new Canary("X-Forwarded-Port", "31337", ":31337", "/pages/"));
		canaries.add(new Canary("X-Forwarded-Ssl", "on", "https:", "/pages/"));
		canaries
			.add(new Canary("Forwarded", "host=\"canary-forwarded.example:{port}\"", "canary-forwarded", "/pages/"));
		canaries.add(new Canary("Host", "canary-host-header.example:{port}", "canary-host-header", "/pages/"));
		canaries.add(new Canary("Accept-Language", "zz-ZZ", "zz-ZZ", "/pages/"));
		canaries.add(new Canary("User-Agent", "canary-agent/1.0", "canary-agent", "/pages/"));
		for (String header : ReflectingController.PRINTED_HEADERS) {
			String canary = "pc-canary-" + header.toLowerCase(Locale.ROOT);
			canaries.add(new Canary(header, canary, canary, "/pages/"));
		}
		canaries.add(new Canary("X-Forwarded-For", "203.0.113.77", "203.0.113.77", "/visitors/"));
		canaries.add(new Canary("Forwarded", "for=203.0.113.78", "203.0.113.78", "/visitors/"));
		canaries.add(new Canary("Accept", "application/x-canary-type", "x-canary-type", "/texts/"));
		return canaries.stream();
	}

	@Test
	void atLeastThirtyUnkeyedHeadersAreTried() {
		assertThat(unkeyedHeaders().map(Canary::header).distinct()).hasSizeGreaterThanOrEqualTo(30);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("unkeyedHeaders")
	void canaryInAnUnkeyedHeaderNeverReachesACleanRequest(Canary canary) {
		String target = canary.path() + Math.abs(canary.toString().hashCode());
		String value = canary.value().replace("{port}", Integer.toString(this.port));
		Response poisoned = this.http.get(target, canary.header() + ": " + value);
		assertThat(poisoned.status()).isEqualTo(200);
		if (!canary.header().equals("Accept")) {
			assertThat(poisoned.text()).as("the application reflects %s", canary.header()).contains(canary.needle());
		}
		Response clean = this.http.get(target);
		assertThat(clean.status()).isEqualTo(200);
		assertThat(clean.text()).doesNotContain(canary.needle());
		Response again = this.http.get(target);
		assertThat(again.text()).doesNotContain(canary.needle());
		if (!canary.path().equals("/visitors/")) {
			assertThat(again.cacheResult()).as("clean requests are still cached").isEqualTo("HIT");
		}
	}

	@Test
	void pageThatShowsTheClientAddressIsNeverStored() {
		this.http.get("/visitors/1");
		Response second = this.http.get("/visitors/1");
		assertThat(second.cacheResult()).isEqualTo("MISS");
	}

	@Test
	void responseTypeChosenByAcceptIsNotStored() {
		Response crafted = this.http.get("/texts/1", "Accept: text/x-canary-type");
		assertThat(crafted.header("Content-Type")).startsWith("text/html");
		Response clean = this.http.get("/texts/1");
		assertThat(clean.cacheResult()).isEqualTo("HIT");
		assertThat(clean.header("Content-Type")).startsWith("text/html");
	}

	@Test
	void theLocaleIsPartOfTheKey() {
		Response german = this.http.get("/pages/1", "Accept-Language: de-DE");
		Response french = this.http.get("/pages/1", "Accept-Language: fr-FR");
		assertThat(german.body()).contains("lang=\"de-DE\"");
		assertThat(french.cacheResult()).isEqualTo("MISS");
		assertThat(french.body()).contains("lang=\"fr-FR\"");
		Response germanAgain = this.http.get("/pages/1", "Accept-Language: de-DE");
		assertThat(germanAgain.cacheResult()).isEqualTo("HIT");
		assertThat(germanAgain.body()).contains("lang=\"de-DE\"");
	}

	@Test
	void responseThatVariesOnAHeaderOutsideTheKeyIsNotStored() {
		this.http.get("/headlines/1?vary=X-Device");
		assertThat(this.http.get("/headlines/1?vary=X-Device").cacheResult()).isEqualTo("MISS");
		this.http.get("/headlines/2?vary=Accept-Encoding");
		assertThat(this.http.get("/headlines/2?vary=Accept-Encoding").cacheResult()).isEqualTo("HIT");
	}

	@Test
	void responseWithAContentSecurityPolicyNonceIsNotStored() {
		this.http.get("/headlines/3?nonce=pc-canary-nonce");
		Response second = this.http.get("/headlines/3?nonce=pc-canary-nonce");
		assertThat(second.cacheResult()).isEqualTo("MISS");
	}

	@Test
	void pathThatSpellsTheRestOfAKeyIsNotServedForAnotherRequest() {
		Response crafted = this.http.get("/topics/java%20locale=de-DE");
		assertThat(crafted.body()).isEqualTo("Topic java locale=de-DE");
		Response german = this.http.get("/topics/java", "Accept-Language: de-DE");
		assertThat(german.body()).isEqualTo("Topic java");
	}

	@Test
	void canaryInUnkeyedQueryParametersNeverReachesACleanRequest() {
		Response poisoned = this.http.get("/pages/2?utm_source=pc-canary-query&_method=DELETE&pc-canary-name=1");
		assertThat(poisoned.text()).doesNotContain("pc-canary").doesNotContain("DELETE");
		Response clean = this.http.get("/pages/2");
		assertThat(clean.cacheResult()).isEqualTo("HIT");
		assertThat(clean.text()).doesNotContain("pc-canary").doesNotContain("Query:").doesNotContain("Parameter");
	}

	@Test
	void getBodyDoesNotChangeWhatIsStored() {
		Response withBody = this.http.send("GET", "/pages/3", "pc-canary-body", "Content-Type: text/plain",
				"Content-Length: 14");
		assertThat(withBody.cacheResult()).isEqualTo("BYPASS");
		assertThat(withBody.body()).contains("pc-canary-body");
		Response chunked = this.http.send("GET", "/pages/3", "e\r\npc-canary-body\r\n0\r\n\r\n",
				"Content-Type: text/plain", "Transfer-Encoding: chunked");
		assertThat(chunked.cacheResult()).isEqualTo("BYPASS");
		Response clean = this.http.get("/pages/3");
		assertThat(clean.cacheResult()).isEqualTo("MISS");
		assertThat(clean.text()).doesNotContain("pc-canary");
	}

	@Test
	void methodOverrideHeadersDoNotChangeWhatIsStored() {
		for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
			Response overridden = this.http.get("/pages/4", header + ": DELETE");
			assertThat(overridden.status()).isEqualTo(200);
		}
		Response clean = this.http.get("/pages/4");
		assertThat(clean.cacheResult()).isEqualTo("MISS");
		assertThat(clean.text()).doesNotContain("DELETE");
		assertThat(this.http.get("/pages/4").cacheResult()).isEqualTo("HIT");
	}

	@Test
	void serverErrorPageIsNotStoredUnderThePageKey() {
		this.controller.failure = "503";
		Response maintenance = this.http.get("/pages/5");
		assertThat(maintenance.status()).isEqualTo(503);
		assertThat(maintenance.body()).contains("Down for maintenance");
		this.controller.failure = null;
		Response clean = this.http.get("/pages/5");
		assertThat(clean.status()).isEqualTo(200);
		assertThat(clean.body()).doesNotContain("Down for maintenance");
	}

	@Test
	void notFoundThroughTheErrorDispatchIsNotStoredEvenWhen404IsStorable() {
		this.controller.failure = "404";
		Response refused = this.http.get("/pages/6", "Accept: text/html");
		assertThat(refused.status()).isEqualTo(404);
		this.controller.failure = null;
		Response clean = this.http.get("/pages/6");
		assertThat(clean.status()).isEqualTo(200);
		assertThat(clean.cacheResult()).isEqualTo("MISS");
	}

	@Test
	void exceptionThroughTheErrorDispatchIsNotStored() {
		this.controller.failure = "500";
		Response failed = this.http.get("/pages/7");
		assertThat(failed.status()).isEqualTo(500);
		this.controller.failure = null;
		Response clean = this.http.get("/pages/7");
		assertThat(clean.status()).isEqualTo(200);
		assertThat(clean.cacheResult()).isEqualTo("MISS");
	}

	/**
	 * A canary: the header it is sent in, its value ({@code {port}} stands for the
	 * server's, so that only the host differs), what shows it in a response, the page
	 * kind that reflects it.
	 */
	record Canary(String header, String value, String needle, String path) {

		@Override
		public String toString() {
			return this.header + ": " + this.value;
		}

	}

}
