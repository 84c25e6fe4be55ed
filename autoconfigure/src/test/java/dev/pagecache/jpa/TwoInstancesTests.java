package dev.pagecache.jpa;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the blog, on two ports, share one Redis and one database: a write
 * through either is seen at once through the other, whose cached pages it invalidated.
 */
@WithRedisServer
class TwoInstancesTests {

	static RedisServerProcess redis;

	static final String DATABASE = "jdbc:h2:mem:two-instances-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	static Fixture fixture;

	@BeforeAll
	static void startBothInstances() {
		first = start("create");
		second = start("none");
		fixture = first.getBean(BlogService.class).reset();
	}

	@AfterAll
	static void stopEverything() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
	}

	@Test
	void commentPostedThroughOneInstanceIsSeenAtOnceThroughTheOther() {
		BlogPages one = new BlogPages(port(first), fixture);
		BlogPages two = new BlogPages(port(second), fixture);
		two.warm(two.all());
		one.warm(one.all());
		assertThat(post(port(first), "/blog/posts/" + fixture.post(2) + "/comments", "text=posted+on+one"))
			.startsWith("comment ");
		assertThat(two.body(two.post(2))).contains("posted on one");
		assertThat(two.body(two.home())).contains("| Second | 2 comments");
		assertThat(TestHttp.cacheResult(two.get(two.post(3)))).as("untouched page").isEqualTo("HIT");
		assertThat(post(port(second), "/blog/posts/" + fixture.post(3) + "/comments", "text=posted+on+two"))
			.startsWith("comment ");
		assertThat(one.body(one.post(3))).contains("posted on two");
		assertThat(one.body(one.home())).contains("| Third | 1 comments");
	}

	private static ConfigurableApplicationContext start(String ddlAuto) {
		return new SpringApplicationBuilder(BlogTestApplication.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "spring.datasource.url=" + DATABASE,
					"spring.datasource.generate-unique-name=false", "spring.jpa.hibernate.ddl-auto=" + ddlAuto,
					"spring.data.redis.host=" + redis.getHost(), "spring.data.redis.port=" + redis.getPort(),
					"pagecache.redis.namespace=two-instances")
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String post(int port, String path, String form) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
