package dev.pagecache.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.TestHttp;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page cache's actuator endpoint in the blog: its figures are open to anyone, its
 * purges only to the admin.
 *
 * @author pagecache
 */
@BlogTest
class ActuatorTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	private TestHttp<String> http;

	@BeforeEach
	void createClient() {
		this.http = TestHttp.text(this.port);
	}

	@Test
	void anyoneReadsTheFiguresAndTheDashboard() {
		this.http.get("/");
		HttpResponse<String> figures = this.http.get("/actuator/pagecache");
		assertThat(figures.statusCode()).isEqualTo(200);
		assertThat(figures.body()).contains("\"page\":\"/posts/{id}\"").contains("\"hitRatio\"");
		HttpResponse<String> dashboard = this.http.get("/actuator/pagecache/dashboard");
		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(dashboard.body()).contains("/posts/{id}");
	}

	@Test
	void anEntitySelectorOfATypeTheBlogDoesNotHaveIsAnsweredWithItsEntityTypes() {
		HttpResponse<String> response = this.http.get("/actuator/pagecache/entities/Pots/7", "Accept",
				"application/json");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"status\":400")
			.contains("Unknown entity type 'Pots': the entity types are Author, Category, Comment, Post;");
		assertThat(this.http.get("/actuator/pagecache/entities/Post/7", "Accept", "application/json").statusCode())
			.isEqualTo(200);
	}

	@Test
	void theAdminSignedInToTheBlogSeesTheDashboardsPurgeButtonsAndAnonymousReadersDoNot() {
		String session = BlogLogin.login(this.http, BlogTest.USERNAME, BlogTest.PASSWORD);
		HttpResponse<String> admin = this.http.get("/actuator/pagecache/dashboard", "Cookie", session);
		assertThat(admin.body()).contains("data-purge=\"true\"").contains("class=\"pc-purge pc-purge-all\"");
		assertThat(admin.headers().firstValue("Set-Cookie")).isEmpty();
		HttpResponse<String> anonymous = this.http.get("/actuator/pagecache/dashboard");
		assertThat(anonymous.body()).contains("data-purge=\"false\"").doesNotContain("class=\"pc-purge");
	}

	@Test
	void anonymousPurgeIsRefusedAndKeepsThePage() throws Exception {
		this.http.get("/posts/7");
		assertThat(TestHttp.cacheResult(this.http.get("/posts/7"))).isEqualTo("HIT");
		HttpResponse<String> purge = delete("/actuator/pagecache", null);
		assertThat(purge.statusCode()).isEqualTo(401);
		assertThat(TestHttp.cacheResult(this.http.get("/posts/7"))).isEqualTo("HIT");
	}

	@Test
	void wrongPasswordPurgeIsRefused() throws Exception {
		assertThat(delete("/actuator/pagecache", BlogTest.USERNAME + ":wrong").statusCode()).isEqualTo(401);
	}

	@Test
	void adminPurgeDropsThePages() throws Exception {
		this.http.get("/posts/8");
		assertThat(TestHttp.cacheResult(this.http.get("/posts/8"))).isEqualTo("HIT");
		HttpResponse<String> purge = delete("/actuator/pagecache", BlogTest.USERNAME + ":" + BlogTest.PASSWORD);
		assertThat(purge.statusCode()).isEqualTo(204);
		assertThat(purge.headers().firstValue("Set-Cookie")).isEmpty();
		assertThat(TestHttp.cacheResult(this.http.get("/posts/8"))).isEqualTo("MISS");
	}

	private HttpResponse<String> delete(String path, String credentials) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.DELETE();
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
