package dev.pagecache.jpa;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages of the test blog over HTTP.
 */
final class BlogPages {

	private final TestHttp<byte[]> http;

	private final Fixture fixture;

	BlogPages(int port, Fixture fixture) {
		this.http = TestHttp.bytes(port);
		this.fixture = fixture;
	}

	String home() {
		return "/blog";
	}

	String post(int number) {
		return "/blog/posts/" + this.fixture.post(number);
	}

	String java() {
		return "/blog/categories/" + this.fixture.java();
	}

	String news() {
		return "/blog/categories/" + this.fixture.news();
	}

	/** The pages whose invalidation is counted: the listing, each post, each category. */
	List<String> all() {
		return List.of(home(), post(1), post(2), post(3), post(4), java(), news());
	}

	HttpResponse<byte[]> get(String path) {
		HttpResponse<byte[]> response = this.http.get(path);
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response;
	}

	String body(String path) {
		return new String(get(path).body(), StandardCharsets.UTF_8);
	}

	/** Request every page until it is a hit. */
	void warm(List<String> paths) {
		for (String path : paths) {
			get(path);
			assertThat(TestHttp.cacheResult(get(path))).as(path).isEqualTo("HIT");
		}
	}

	/** The pages that are misses now (and are stored again by asking). */
	Set<String> misses(List<String> paths) {
		Set<String> misses = new LinkedHashSet<>();
		List<String> results = new ArrayList<>();
		for (String path : paths) {
			String result = TestHttp.cacheResult(get(path));
			results.add(path + "=" + result);
			if (!"HIT".equals(result)) {
				misses.add(path);
			}
		}
		return misses;
	}

}
