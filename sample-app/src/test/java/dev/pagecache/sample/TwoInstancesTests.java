package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the blog behind one load balancer: one database, one real Redis server
 * holding the pages of both ({@code pagecache.store=redis}). A page rendered by one is a
 * hit on the other, and a write through one instance shows at once through the other.
 *
 * @author pagecache
 */
@WithRedisServer
class TwoInstancesTests {

	/** The address readers use: the load balancer's, in front of both instances. */
	private static final String PUBLIC_HOST = "blog.example";

	static RedisServerProcess redis;

	@Test
	void commentPostedThroughOneInstanceShowsAtOnceThroughTheOther() {
		String database = "jdbc:h2:mem:two-instances-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		try (ConfigurableApplicationContext first = start(database);
				ConfigurableApplicationContext second = start(database)) {
			TestHttp<String> one = TestHttp.text(port(first));
			TestHttp<String> other = TestHttp.text(port(second));
			warm(other, "/posts/5");
			warm(other, "/");
			assertThat(TestHttp.cacheResult(get(one, "/posts/5"))).as("a page the other instance rendered")
				.isEqualTo("HIT");

			HttpResponse<String> commented = one.postForm("/posts/5/comments",
					TestHttp.fields("author", "Uma", "body", "Posted through the first instance."),
					withProxyHeaders("Origin", "https://" + PUBLIC_HOST, "Sec-Fetch-Site", "same-origin"));
			assertThat(commented.statusCode()).isEqualTo(303);

			HttpResponse<String> post = get(other, "/posts/5");
			assertThat(TestHttp.cacheResult(post)).isEqualTo("MISS");
			assertThat(post.body()).contains("Posted through the first instance.");
			HttpResponse<String> home = get(other, "/");
			assertThat(TestHttp.cacheResult(home)).isEqualTo("MISS");
			assertThat(home.body()).contains("Posted through the first instance.");
			assertThat(TestHttp.cacheResult(get(one, "/posts/5"))).as("the page the other instance rendered again")
				.isEqualTo("HIT");
		}
	}

	/**
	 * Request a page until it is a hit. A fresh Redis holds no epoch yet, and the render
	 * that creates one is not stored, so the first page may take two renders.
	 */
	private static void warm(TestHttp<String> http, String path) {
		List<String> results = new ArrayList<>();
		while (results.size() < 3 && !results.contains("HIT")) {
			results.add(TestHttp.cacheResult(get(http, path)));
		}
		assertThat(results).as(path).contains("HIT").startsWith("MISS");
	}

	/**
	 * A request as the load balancer forwards it. Page keys include the scheme, host and
	 * port the client asked for, so instances share pages when they see the same public
	 * address.
	 */
	private static HttpResponse<String> get(TestHttp<String> http, String path) {
		return http.get(path, withProxyHeaders());
	}

	private static String[] withProxyHeaders(String... headers) {
		List<String> all = new ArrayList<>(List.of("X-Forwarded-Host", PUBLIC_HOST, "X-Forwarded-Proto", "https"));
		all.addAll(List.of(headers));
		return all.toArray(String[]::new);
	}

	private static ConfigurableApplicationContext start(String database) {
		// arguments, as on a command line: they override application.properties
		return new SpringApplicationBuilder(BlogApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + database, "--blog.seed.posts=20", "--pagecache.store=redis",
				// behind a load balancer: the forwarded host and scheme are the request's
				"--server.forward-headers-strategy=native", "--spring.data.redis.host=" + redis.getHost(),
				"--spring.data.redis.port=" + redis.getPort(),
				// generous: a slow machine must not turn a lookup into a miss
				"--pagecache.redis.timeout=5s",
				// as in BlogTest: this test asserts which instance rendered a page
				"--pagecache.refresh-ahead.enabled=false");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
