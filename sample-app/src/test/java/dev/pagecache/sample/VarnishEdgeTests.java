package dev.pagecache.sample;

import java.net.http.HttpResponse;
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
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.VarnishProcess;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog behind a real Varnish running the shipped {@code edge/varnish/pagecache.vcl}
 * ({@code pagecache.edge.enabled=true}): pages are served by Varnish, and every write
 * purges exactly what it changed there before it returns.
 * <p>
 * Between Varnish and the blog runs a {@link TcpProxy} that can hold a response in
 * flight; between the blog and Varnish's purge port another that can cut the network.
 * Skipped with a message where {@code varnishd} is not installed, unless {@code CI} is
 * set.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.edge",
		because = "purges fail while Varnish is not yet started or stopped on purpose, and are retried")
class VarnishEdgeTests {

	private static final Duration REPURGE_DELAY = Duration.ofSeconds(2);

	private static final Duration DEADLINE = Duration.ofSeconds(20);

	static ConfigurableApplicationContext blog;

	static VarnishProcess varnish;

	static TcpProxy backend;

	static TcpProxy purges;

	static TestHttp<String> edge;

	static TestHttp<String> direct;

	@BeforeAll
	static void start() {
		VarnishProcess.assumeInstalled();
		int varnishPort = VarnishProcess.freePort();
		int purgePort = VarnishProcess.freePort();
		blog = new SpringApplicationBuilder(BlogApplication.class).run("--server.port=0",
				"--spring.datasource.url=jdbc:h2:mem:edge-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--blog.seed.posts=20", "--blog.admin.username=" + BlogTest.USERNAME,
				"--blog.admin.password=" + BlogTest.PASSWORD, "--pagecache.edge.enabled=true",
				"--pagecache.edge.varnish.endpoints=http://127.0.0.1:" + purgePort,
				"--pagecache.edge.repurge-delay=" + REPURGE_DELAY.toMillis() + "ms",
				"--pagecache.edge.retry-interval=100ms", "--pagecache.edge.max-retry-interval=500ms");
		long seeded = System.nanoTime();
		int blogPort = blog.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		backend = new TcpProxy(VarnishProcess.freePort(), blogPort);
		varnish = VarnishProcess.start(varnishPort, backend.getPort());
		purges = new TcpProxy(purgePort, varnishPort);
		edge = TestHttp.text(varnishPort);
		direct = TestHttp.text(blogPort);
		EdgeSettling.awaitSettled(blog, seeded, REPURGE_DELAY);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable part : new AutoCloseable[] { purges, varnish, backend, blog }) {
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
	void storedPageIsServedByVarnishWithTheSharedCacheHeaders() {
		HttpResponse<String> first = edge.get("/posts/3");
		assertThat(xCache(first)).isEqualTo("MISS");
		assertThat(first.headers().firstValue("Cache-Control"))
			.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).startsWith("public, s-maxage=")
				.endsWith(", max-age=0, must-revalidate"));
		// a purge that lands while Varnish fetches a page keeps it from being stored (the
		// second purge of an earlier test's write may): at most a few misses more
		warmAtEdge("/posts/3");
		HttpResponse<String> second = edge.get("/posts/3");
		assertThat(xCache(second)).isEqualTo("HIT");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.headers().firstValue("xkey")).as("tag tokens are for Varnish only").isEmpty();
	}

	@Test
	void commentIsVisibleThroughVarnishAtOnce() throws InterruptedException {
		warmAtEdge("/posts/5");
		warmAtEdge("/posts/6");
		warmAtEdge("/");
		// the shipped VCL fetches anew, once, a copy that a purge follows within 3 s of
		// its
		// storing (it may have entered the cache just after the purge ran)
		Thread.sleep(3100);
		String comment = "Through Varnish " + UUID.randomUUID();
		HttpResponse<String> posted = edge.postForm("/posts/5/comments",
				TestHttp.fields("author", "Vera", "body", comment), "Sec-Fetch-Site", "same-origin");
		assertThat(posted.statusCode()).isEqualTo(303);
		HttpResponse<String> post = edge.get("/posts/5");
		assertThat(xCache(post)).isEqualTo("MISS");
		assertThat(post.body()).contains(comment);
		assertThat(edge.get("/").body()).contains(comment);
		assertThat(xCache(edge.get("/posts/6"))).as("a page the comment did not change").isNotEqualTo("MISS");
	}

	@Test
	void gzipAndIdentityClientsHitTheirOwnCopiesAndACommentRemovesBoth() {
		EdgeCopies.assertEachEncodingHitsItsCopyAndACommentRemovesBoth(TestHttp.bytes(varnish.getPort()), "/posts/14");
	}

	@Test
	void adminEditIsVisibleThroughVarnishAtOnce() {
		warmAtEdge("/posts/17");
		warmAtEdge("/");
		String session = BlogLogin.login(edge, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> editor = edge.get("/admin/posts/17/edit", "Cookie", session);
		assertThat(editor.statusCode()).isEqualTo(200);
		String title = "Edited behind Varnish " + UUID.randomUUID();
		HttpResponse<String> saved = edge.postForm("/admin/posts/17/edit", TestHttp.fields("title", title, "body",
				"The body, edited.", "category", "1", "_csrf", BlogLogin.csrfToken(editor)), "Cookie", session);
		assertThat(saved.statusCode()).isEqualTo(303);
		assertThat(edge.get("/posts/17").body()).contains(title);
		assertThat(edge.get("/").body()).as("the latest posts, post 17 among them").contains(title);
	}

	@Test
	void loggedInAdminsPagesAreNeverStoredAtTheEdge() {
		warmAtEdge("/posts/8");
		String session = BlogLogin.login(edge, BlogTest.USERNAME, BlogTest.PASSWORD);
		for (String path : List.of("/posts/8", "/posts/12", "/posts/12")) {
			HttpResponse<String> page = edge.get(path, "Cookie", session);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(xCache(page)).as("the admin's request for %s", path).isEqualTo("MISS");
			assertThat(TestHttp.cacheResult(page)).isEqualTo("BYPASS");
			assertThat(page.headers().firstValue("Cache-Control"))
				.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).contains("private"));
		}
		assertThat(xCache(edge.get("/admin", "Cookie", session))).isEqualTo("MISS");
		assertThat(xCache(edge.get("/posts/12"))).as("the first anonymous request after the admin's").isEqualTo("MISS");
		warmAtEdge("/posts/12");
	}

	@Test
	void analyticsCookiesAreStrippedAndOtherCookiesPass() {
		warmAtEdge("/posts/10");
		assertThat(xCache(edge.get("/posts/10", "Cookie", "_ga=GA1.2.3.4; _gid=GA1.2.5"))).isEqualTo("HIT");
		assertThat(xCache(edge.get("/posts/10", "Cookie", "_ga=GA1.2.3.4; theme=dark"))).isEqualTo("MISS");
		assertThat(xCache(edge.get("/posts/10", "Authorization", "Basic YWRtaW46YWRtaW4="))).isEqualTo("MISS");
	}

	/**
	 * A page rendered before a commit reaches Varnish after the commit's purge (held on
	 * the way by the proxy): Varnish passes it on to the reader who asked before the
	 * write, and keeps nothing of it (its fetch began before the purge), so the next
	 * reader gets the new page at once.
	 */
	@Test
	void renderInFlightDuringACommitLeavesNothingStaleAtTheEdge() throws Exception {
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
			HttpResponse<String> raced = inFlight.get();
			assertThat(raced.body()).as("rendered before the comment").doesNotContain(comment);
			assertThat(raced.headers().firstValue("Cache-Control").orElse("")).startsWith("public, s-maxage=");
			HttpResponse<String> next = edge.get(path);
			assertThat(next.body()).contains(comment);
			assertThat(xCache(next)).isEqualTo("MISS");
		}
		finally {
			backend.releaseResponses();
		}
	}

	@Test
	void purgeThatFailedWhileVarnishWasUnreachableIsRetriedOnceItIsBack() {
		warmAtEdge("/posts/11");
		HealthIndicator edgeHealth = EdgeSettling.edgeHealth(blog);
		purges.stop();
		String comment = "While Varnish was away " + UUID.randomUUID();
		try {
			HttpResponse<String> posted = direct.postForm("/posts/11/comments",
					TestHttp.fields("author", "Otto", "body", comment), "Sec-Fetch-Site", "same-origin");
			assertThat(posted.statusCode()).as("the write succeeds").isEqualTo(303);
			assertThat(EdgeSettling.queued(edgeHealth)).isPositive();
			assertThat(edgeHealth.health().getDetails().get("lastEdgePurgeFailure")).asString().startsWith("varnish");
			assertThat(edgeHealth.health().getStatus().getCode()).isEqualTo("DEGRADED");
			assertThat(direct.get("/actuator/pagecache").body()).contains("\"edge\":{\"queued\":")
				.contains("\"lastFailure\":\"varnish: Varnish purge failed");
			HttpResponse<String> stale = edge.get("/posts/11");
			assertThat(xCache(stale)).isEqualTo("HIT");
			assertThat(stale.body()).doesNotContain(comment);
		}
		finally {
			purges.start();
		}
		assertThat(awaitAtEdge("/posts/11", (page) -> page.body().contains(comment))).isNotNull();
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (EdgeSettling.queued(edgeHealth) > 0 && System.nanoTime() < deadline) {
			EdgeSettling.pause();
		}
		assertThat(EdgeSettling.queued(edgeHealth)).isZero();
		assertThat(edgeHealth.health().getStatus().getCode()).isEqualTo("UP");
	}

	private static String xCache(HttpResponse<?> response) {
		return response.headers().firstValue("X-Cache").orElse("none");
	}

	/** Request a page through Varnish until Varnish serves it from its cache. */
	private static void warmAtEdge(String path) {
		List<String> results = new ArrayList<>();
		while (results.size() < 4 && !results.contains("HIT")) {
			results.add(xCache(edge.get(path)));
		}
		assertThat(results).as(path).contains("HIT");
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

}
