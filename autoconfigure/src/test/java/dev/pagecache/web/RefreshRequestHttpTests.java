package dev.pagecache.web;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.TestHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page's key, rebuilt into a request and sent to the application itself, renders the
 * page under the same key, as the page cache's own key computation sees it: path with
 * encoded characters, keyed parameters only, the locale, declared headers with spaces in
 * their values, and a scheme, host and port that only forwarded headers can give.
 */
@SpringBootTest(classes = RefreshRequestHttpTests.ShelfApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "server.forward-headers-strategy=native" })
class RefreshRequestHttpTests {

	private static final List<String> VARY_HEADERS = List.of("x-device");

	@LocalServerPort
	int port;

	@Autowired
	PageStore store;

	@Autowired
	ShelfController shelves;

	@BeforeEach
	void clear() {
		this.store.clear();
		this.shelves.requests().clear();
	}

	@Test
	void refreshOfAReadersPageRendersItUnderTheSameKey() throws Exception {
		HttpResponse<String> read = TestHttp.text(this.port)
			.get("/shelves/caf%C3%A9?q=x%20y&unkeyed=1", "Accept-Language", "de-DE", "X-Device", "mobile phone");
		assertThat(TestHttp.cacheResult(read)).isEqualTo("MISS");
		List<String> keys = this.store.keysTagged("shelf");
		assertThat(keys).singleElement().asString().contains(" locale=de-DE x-device=mobile phone");
		String key = keys.get(0);
		this.store.clear();

		RefreshRequest refresh = RefreshRequest.of(key, VARY_HEADERS);
		assertThat(refresh).isNotNull();
		assertThat(send(refresh)).isEqualTo(200);

		assertThat(this.store.keysTagged("shelf")).containsExactly(key);
		assertThat(this.shelves.requests()).last()
			.isEqualTo("café x y de_DE mobile phone cookie=null authorization=null");
	}

	@Test
	void keyOfAnHttpsSiteBehindAProxyIsSentWithForwardedHeaders() throws Exception {
		String key = "GET https://blog.example:443/shelves/tea?q=green x-device=";
		RefreshRequest refresh = RefreshRequest.of(key, VARY_HEADERS);
		assertThat(refresh).isNotNull();
		assertThat(send(refresh)).isEqualTo(200);
		assertThat(this.store.keysTagged("shelf")).containsExactly(key);
	}

	@Test
	void keysThatCannotBeReplayedAreNotRequests() {
		assertThat(RefreshRequest.of("GET http://localhost:8080/shelves/a...#digest", VARY_HEADERS)).isNull();
		assertThat(RefreshRequest.of("GET http://localhost:8080/shelves/a x-other=1", VARY_HEADERS)).isNull();
		assertThat(RefreshRequest.of("GET http://localhost:8080/shelves/a x-device=1\r\nX: y", VARY_HEADERS)).isNull();
		assertThat(RefreshRequest.of("GET http://localhost/shelves/a x-device=", VARY_HEADERS)).isNull();
		assertThat(RefreshRequest.of("HEAD http://localhost:8080/shelves/a x-device=", VARY_HEADERS)).isNull();
		assertThat(RefreshRequest.of("GET http://[::1]:8080/shelves/a x-device=", VARY_HEADERS))
			.isEqualTo(new RefreshRequest("/shelves/a", "http", "[::1]:8080", 8080, Map.of()));
	}

	private int send(RefreshRequest refresh) throws Exception {
		return refresh.send(new InetSocketAddress("127.0.0.1", this.port), "http", "X-Test-Marker", "m-1",
				Duration.ofSeconds(10));
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ShelfController.class)
	static class ShelfApplication {

	}

	@RestController
	static class ShelfController {

		private final List<String> requests = new CopyOnWriteArrayList<>();

		List<String> requests() {
			return this.requests;
		}

		@GetMapping("/shelves/{name}")
		@CachePage(tags = "'shelf'", varyByHeaders = "X-Device", varyByParams = "q")
		String shelf(@PathVariable String name, HttpServletRequest request, Locale locale) {
			String seen = name + " " + request.getParameter("q") + " " + locale + " " + request.getHeader("X-Device")
					+ " cookie=" + request.getHeader("Cookie") + " authorization=" + request.getHeader("Authorization");
			this.requests.add(seen);
			return seen;
		}

	}

}
