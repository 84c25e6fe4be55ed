package dev.pagecache.actuate;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.CachePage;
import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why a page was not stored, over HTTP: counted per page pattern and reason on the
 * endpoint and its dashboard, and said in one debug line of the filter's logger. The
 * tests share the context: counts of the pages they share are compared as deltas.
 */
@SpringBootTest(classes = { StatisticsTestApplication.class, PageCacheNotStoredHttpTests.NotStoredController.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "management.endpoints.web.exposure.include=pagecache",
				"pagecache.dashboard.enabled=true", "logging.level.dev.pagecache.web.PageCacheFilter=debug" })
@ExtendWith(OutputCaptureExtension.class)
class PageCacheNotStoredHttpTests {

	static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	void aPageThatSetsACookieIsCountedAsNotStoredForItsCookie(CapturedOutput output) {
		TestHttp<String> http = TestHttp.text(this.port);
		long before = page(statistics(http), "/greetings/{id}").get("notStored").asLong();
		assertThat(cacheResult(http.get("/greetings/1"))).isEqualTo("MISS");
		assertThat(cacheResult(http.get("/greetings/1"))).isEqualTo("MISS");
		JsonNode greetings = page(statistics(http), "/greetings/{id}");
		assertThat(greetings.get("stores").asLong()).isZero();
		assertThat(greetings.get("notStored").asLong()).isEqualTo(before + 2);
		assertThat(names(greetings.get("notStoredByReason"))).containsExactly("cookie");
		assertThat(greetings.get("notStoredByReason").get("cookie").asLong()).isEqualTo(before + 2);
		assertThat(output).contains("Not storing GET http://localhost:" + this.port
				+ "/greetings/1 of /greetings/{id} (cookie): the response sets a cookie");
	}

	@Test
	void aPageThatReadsAnUnkeyedHeaderIsCountedAsNotStoredForItsInput(CapturedOutput output) {
		TestHttp<String> http = TestHttp.text(this.port);
		assertThat(cacheResult(http.get("/tenants/1", "X-Tenant", "acme"))).isEqualTo("MISS");
		assertThat(cacheResult(http.get("/plain/1"))).isEqualTo("MISS");
		assertThat(cacheResult(http.get("/plain/1"))).isEqualTo("HIT");
		JsonNode statistics = statistics(http);
		JsonNode tenants = page(statistics, "/tenants/{id}");
		assertThat(tenants.get("notStored").asLong()).isEqualTo(1);
		assertThat(names(tenants.get("notStoredByReason"))).containsExactly("unkeyedInput");
		assertThat(tenants.get("notStoredByReason").get("unkeyedInput").asLong()).isEqualTo(1);
		JsonNode plain = page(statistics, "/plain/{id}");
		assertThat(plain.get("stores").asLong()).isEqualTo(1);
		assertThat(plain.get("notStored").asLong()).isZero();
		assertThat(names(plain.get("notStoredByReason"))).isEmpty();
		assertThat(statistics.get("totals").get("notStoredByReason").get("unkeyedInput").asLong()).isPositive();
		assertThat(output).contains("/tenants/1 of /tenants/{id} (unkeyedInput): the page read request header "
				+ "x-tenant, which is not part of its key");
		assertThat(output).doesNotContain("Not storing GET http://localhost:" + this.port + "/plain/1");
	}

	@Test
	void theDashboardShowsWhyPagesWereNotStored() {
		TestHttp<String> http = TestHttp.text(this.port);
		http.get("/greetings/2");
		String dashboard = http.get("/actuator/pagecache/dashboard").body();
		assertThat(dashboard).containsPattern("data-page=\"/greetings/\\{id\\}\"[\\s\\S]*?"
				+ "<span class=\"pc-not-stored-reason\" data-reason=\"cookie\" data-count=\"\\d+\">\\d+ cookie</span>");
	}

	private JsonNode statistics(TestHttp<String> http) {
		return json.readTree(http.get("/actuator/pagecache").body());
	}

	private static JsonNode page(JsonNode statistics, String page) {
		for (JsonNode node : statistics.get("pages")) {
			if (node.get("page").asString().equals(page)) {
				return node;
			}
		}
		throw new AssertionError("No statistics of " + page + " in " + statistics);
	}

	private static List<String> names(JsonNode node) {
		return new ArrayList<>(node.propertyNames());
	}

	/**
	 * Pages that are rendered but cannot be stored, each for a reason of its own, and one
	 * that can.
	 */
	@RestController
	static class NotStoredController {

		@GetMapping("/greetings/{id}")
		@CachePage
		String greeting(@PathVariable long id, HttpServletResponse response) {
			response.addCookie(new Cookie("greeted", Long.toString(id)));
			return "greeting " + id;
		}

		@GetMapping("/tenants/{id}")
		@CachePage
		String tenant(@PathVariable long id, @RequestHeader(name = "X-Tenant", required = false) String tenant) {
			return "tenant " + id + " of " + tenant;
		}

		@GetMapping("/plain/{id}")
		@CachePage
		String plain(@PathVariable long id) {
			return "plain " + id;
		}

	}

}
