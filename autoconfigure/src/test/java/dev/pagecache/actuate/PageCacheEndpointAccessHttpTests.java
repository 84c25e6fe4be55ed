package dev.pagecache.actuate;

import org.junit.jupiter.api.Test;

import dev.pagecache.actuate.app.StatisticsTestApplication;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's purges follow Spring Boot's access conventions, over HTTP, in an
 * application that exposes the endpoint and has no Spring Security: read-only unless
 * {@code management.endpoint.pagecache.access=unrestricted}.
 */
@ExpectedLogs(value = "org.springframework.web.servlet.mvc.support.DefaultHandlerExceptionResolver",
		because = "purges are sent to a read-only endpoint")
class PageCacheEndpointAccessHttpTests {

	@Test
	void anonymousDeleteIsRefusedByDefaultAndReadsStayOpen() {
		try (ConfigurableApplicationContext context = start()) {
			TestHttp<String> http = TestHttp.text(port(context));
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("MISS");
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("HIT");
			assertThat(http.send("DELETE", "/actuator/pagecache").statusCode()).isEqualTo(405);
			assertThat(http.send("DELETE", "/actuator/pagecache/entities/News/1").statusCode()).isIn(404, 405);
			assertThat(http.send("DELETE", "/actuator/pagecache/pages/news/%7Bid%7D").statusCode()).isIn(404, 405);
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("HIT");
			assertThat(http.get("/actuator/pagecache").statusCode()).isEqualTo(200);
			assertThat(http.get("/actuator/pagecache/pages/news/%7Bid%7D").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void deleteIsAllowedOnceTheApplicationGrantsUnrestrictedAccess() {
		try (ConfigurableApplicationContext context = start("management.endpoint.pagecache.access=unrestricted")) {
			TestHttp<String> http = TestHttp.text(port(context));
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("MISS");
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("HIT");
			assertThat(http.send("DELETE", "/actuator/pagecache/entities/News/1").statusCode()).isEqualTo(204);
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("MISS");
			assertThat(http.send("DELETE", "/actuator/pagecache").statusCode()).isEqualTo(204);
			assertThat(cacheResult(http.get("/news/1"))).isEqualTo("MISS");
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(StatisticsTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "pagecache.store=memory",
					"management.endpoints.web.exposure.include=*")
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
