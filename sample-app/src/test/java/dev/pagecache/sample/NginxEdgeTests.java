package dev.pagecache.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.NginxProcess;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog behind a real nginx running the shipped {@code edge/nginx/pagecache.conf} with
 * Debian's cache purge module ({@code pagecache.edge.enabled=true},
 * {@code pagecache.edge.nginx.endpoints}): pages are served by nginx's proxy_cache, and
 * every write purges the URLs of the pages it changed there before it returns, and once
 * more after the repurge delay. Between nginx and the blog runs a {@link TcpProxy} that
 * can hold a response in flight; between the blog and nginx's purges another that can cut
 * the network. Skipped with a message where nginx or the module is not installed, unless
 * {@code CI} is set.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.edge",
		because = "purges fail while nginx is not yet started or stopped on purpose, and are retried")
class NginxEdgeTests {

	private static final Duration REPURGE_DELAY = Duration.ofSeconds(3);

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	static ConfigurableApplicationContext blog;

	static NginxProcess nginx;

	static TcpProxy backend;

	static TcpProxy purges;

	static TestHttp<String> edge;

	static TestHttp<String> direct;

	@BeforeAll
	static void start() {
		NginxProcess.assumeInstalled();
		int nginxPort = NginxProcess.freePort();
		int purgePort = NginxProcess.freePort();
		blog = new SpringApplicationBuilder(BlogApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:nginx-edge-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--blog.seed.posts=20", "--blog.admin.username=" + BlogTest.USERNAME,
				"--blog.admin.password=" + BlogTest.PASSWORD, "--pagecache.edge.enabled=true",
				"--pagecache.edge.tag-header=none", "--pagecache.edge.nginx.endpoints=http://127.0.0.1:" + purgePort,
				"--pagecache.edge.repurge-delay=" + REPURGE_DELAY.toMillis() + "ms",
				"--pagecache.edge.retry-interval=100ms", "--pagecache.edge.max-retry-interval=500ms");
		long seeded = System.nanoTime();
		int blogPort = blog.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		backend = new TcpProxy(NginxProcess.freePort(), blogPort);
		nginx = NginxProcess.startInFrontOf(Path.of("../edge/nginx/pagecache.conf"), backend.getPort(), nginxPort);
		purges = new TcpProxy(purgePort, nginxPort);
		edge = TestHttp.text(nginxPort);
		direct = TestHttp.text(blogPort);
		EdgeSettling.awaitSettled(blog, seeded, REPURGE_DELAY);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable part : new AutoCloseable[] { purges, nginx, backend, blog }) {
			try {
				if (part != null) {
					part.close();
				}
			}
			catch (Exception ex) {
				// the next part
			}
		}
	}

	@Test
	void storedPageIsServedByNginxWithTheSharedCacheHeaders() {
		HttpResponse<String> first = edge.get("/posts/3");
		assertThat(xCache(first)).isEqualTo("MISS");
		assertThat(first.headers().firstValue("Cache-Control"))
			.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).startsWith("public, s-maxage="));
		HttpResponse<String> second = edge.get("/posts/3");
		assertThat(xCache(second)).isEqualTo("HIT");
		assertThat(second.body()).isEqualTo(first.body());
	}

	@Test
	void commentIsVisibleThroughNginxAtOnce() {
		warmAtEdge("/posts/5");
		warmAtEdge("/");
		warmAtEdge("/posts/6");
		String comment = "Through nginx " + UUID.randomUUID();
		HttpResponse<String> posted = edge.postForm("/posts/5/comments",
				TestHttp.fields("author", "Nina", "body", comment), "Sec-Fetch-Site", "same-origin");
		assertThat(posted.statusCode()).isEqualTo(303);
		HttpResponse<String> post = edge.get("/posts/5");
		assertThat(xCache(post)).isEqualTo("MISS");
		assertThat(post.body()).contains(comment);
		assertThat(edge.get("/").body()).contains(comment);
		assertThat(xCache(edge.get("/posts/6"))).as("a page the comment did not change").isEqualTo("HIT");
	}

	@Test
	void gzipAndIdentityClientsHitTheirOwnCopiesAndACommentRemovesBoth() {
		EdgeCopies.assertEachEncodingHitsItsCopyAndACommentRemovesBoth(TestHttp.bytes(nginx.getPort()), "/posts/14");
	}

	@Test
	void adminEditIsVisibleThroughNginxAtOnce() {
		// post 17 is among the home page's ten latest posts
		warmAtEdge("/posts/17");
		warmAtEdge("/");
		String session = BlogLogin.login(edge, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> editor = edge.get("/admin/posts/17/edit", "Cookie", session);
		assertThat(editor.statusCode()).isEqualTo(200);
		String title = "Edited behind nginx " + UUID.randomUUID();
		HttpResponse<String> saved = edge.postForm("/admin/posts/17/edit", TestHttp.fields("title", title, "body",
				"The body, edited.", "category", "1", "_csrf", BlogLogin.csrfToken(editor)), "Cookie", session);
		assertThat(saved.statusCode()).isEqualTo(303);
		assertThat(edge.get("/posts/17").body()).contains(title);
		assertThat(edge.get("/").body()).as(nginx::accessLog).contains(title);
	}

	@Test
	void loggedInAdminsPagesAreNeverStoredAtTheEdge() {
		String session = BlogLogin.login(edge, BlogTest.USERNAME, BlogTest.PASSWORD);
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> page = edge.get("/posts/8", "Cookie", session);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(xCache(page)).as("the admin's request %d", i + 1).isEqualTo("MISS");
		}
		assertThat(xCache(edge.get("/posts/8"))).as("the first anonymous request after the admin's").isEqualTo("MISS");
		assertThat(xCache(edge.get("/posts/8"))).isEqualTo("HIT");
	}

	@Test
	void analyticsCookiesShareTheCopyAndOtherCookiesPass() {
		warmAtEdge("/posts/10");
		assertThat(xCache(edge.get("/posts/10", "Cookie", "_ga=GA1.2.3.4; _gid=GA1.2.5"))).isEqualTo("HIT");
		assertThat(xCache(edge.get("/posts/10", "Cookie", "_ga=GA1.2.3.4; theme=dark"))).isEqualTo("MISS");
		assertThat(xCache(edge.get("/posts/10", "Authorization", "Basic YWRtaW46YWRtaW4="))).isEqualTo("MISS");
	}

	@Test
	void renderInFlightDuringACommitIsPurgedAgainAfterTheRepurgeDelay() throws Exception {
		String path = "/posts/9";
		backend.holdResponses();
		CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> edge.get(path));
		try {
			assertThat(backend.awaitHeldResponse(DEADLINE)).as("the blog rendered and stored the page").isTrue();
			String comment = "Raced " + UUID.randomUUID();
			HttpResponse<String> posted = direct.postForm(path + "/comments",
					TestHttp.fields("author", "Rita", "body", comment), "Sec-Fetch-Site", "same-origin");
			assertThat(posted.statusCode()).isEqualTo(303);
			backend.releaseResponses();
			assertThat(inFlight.get().body()).doesNotContain(comment);
			assertThat(awaitAtEdge(path, (page) -> page.body().contains(comment)))
				.as("the page once the second purge landed")
				.isNotNull();
		}
		finally {
			backend.releaseResponses();
		}
	}

	@Test
	void purgeThatFailedWhileNginxWasUnreachableIsRetriedOnceItIsBack() {
		warmAtEdge("/posts/11");
		HealthIndicator edgeHealth = EdgeSettling.edgeHealth(blog);
		purges.stop();
		String comment = "While nginx was away " + UUID.randomUUID();
		try {
			HttpResponse<String> posted = direct.postForm("/posts/11/comments",
					TestHttp.fields("author", "Otto", "body", comment), "Sec-Fetch-Site", "same-origin");
			assertThat(posted.statusCode()).as("the write succeeds").isEqualTo(303);
			assertThat(EdgeSettling.queued(edgeHealth)).isPositive();
			assertThat(edgeHealth.health().getDetails().get("lastEdgePurgeFailure")).asString().startsWith("nginx");
			HttpResponse<String> stale = edge.get("/posts/11");
			assertThat(xCache(stale)).isEqualTo("HIT");
			assertThat(stale.body()).doesNotContain(comment);
		}
		finally {
			purges.start();
		}
		assertThat(awaitAtEdge("/posts/11", (page) -> page.body().contains(comment))).isNotNull();
	}

	private static HttpResponse<String> awaitAtEdge(String path, Predicate<HttpResponse<String>> condition) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (System.nanoTime() < deadline) {
			HttpResponse<String> page = edge.get(path);
			if (condition.test(page)) {
				return page;
			}
			EdgeSettling.pause();
		}
		return null;
	}

	private static String xCache(HttpResponse<?> response) {
		return response.headers().firstValue("X-Cache").orElse("none");
	}

	/** Request a page through nginx until nginx serves it from its cache. */
	private static void warmAtEdge(String path) {
		List<String> results = new ArrayList<>();
		while (results.size() < 4 && !results.contains("HIT")) {
			results.add(xCache(edge.get(path)));
		}
		assertThat(results).as(path).contains("HIT");
	}

}
