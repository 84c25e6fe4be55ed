package dev.pagecache.edge;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pagecache.edge.FakeEdgeApi.Answer;
import dev.pagecache.edge.FakeEdgeApi.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the nginx purger sends and how it reads nginx's answers, against local servers
 * that answer as the purge module does (the purges through a real nginx are in
 * {@link NginxPurgerTests}).
 */
class NginxPurgerAnswersTests {

	@Test
	void everyEndpointGetsAPurgeOfEveryUrlInEachEncoding() {
		try (FakeEdgeApi first = FakeEdgeApi.start((request) -> Answer.json(200, ""));
				FakeEdgeApi second = FakeEdgeApi.start((request) -> Answer.json(404, ""))) {
			Set<String> urls = new LinkedHashSet<>(List.of("/posts/1", "/posts?page=2"));
			purger(first.url(), second.url() + "/").purge(new EdgePurger.Purge(Set.of(), urls));
			for (FakeEdgeApi nginx : List.of(first, second)) {
				assertThat(nginx.requests()).allSatisfy((request) -> assertThat(request.method()).isEqualTo("PURGE"))
					.extracting(NginxPurgerAnswersTests::copy)
					.containsExactlyInAnyOrder("/posts/1 identity", "/posts/1 gzip", "/posts?page=2 identity",
							"/posts?page=2 gzip");
			}
		}
	}

	@Test
	void everythingIsThePurgeOfEveryKeyInEachEncoding() {
		try (FakeEdgeApi nginx = FakeEdgeApi.start((request) -> Answer.json(200, ""))) {
			purger(nginx.url()).purge(EdgePurger.Purge.everything());
			assertThat(nginx.requests()).extracting(NginxPurgerAnswersTests::copy)
				.containsExactlyInAnyOrder("/* identity", "/* gzip");
		}
	}

	@Test
	void everythingFailsWhereTheModuleReadsTheWildcardAsAKey() {
		try (FakeEdgeApi nginx = FakeEdgeApi.start((request) -> Answer.json(404, "<h1>404 Not Found</h1>"))) {
			purger(nginx.url()).purge(new EdgePurger.Purge(Set.of(), Set.of("/posts/1")));
			assertThatExceptionOfType(EdgePurger.PurgeException.class)
				.isThrownBy(() -> purger(nginx.url()).purge(EdgePurger.Purge.everything()))
				.withMessageContaining("partial keys");
		}
	}

	@Test
	void refusedPurgeFailsNamingTheAcl() {
		try (FakeEdgeApi nginx = FakeEdgeApi.start((request) -> Answer.json(403, "<h1>403 Forbidden</h1>"))) {
			assertThatExceptionOfType(EdgePurger.PurgeException.class)
				.isThrownBy(() -> purger(nginx.url()).purge(new EdgePurger.Purge(Set.of(), Set.of("/posts/1"))))
				.withMessageContaining("403")
				.withMessageContaining("purge location");
		}
	}

	@Test
	void oneFailedEndpointFailsThePurgeAfterTheOthersGotIt() {
		try (FakeEdgeApi healthy = FakeEdgeApi.start((request) -> Answer.json(200, ""))) {
			FakeEdgeApi down = FakeEdgeApi.start((request) -> Answer.json(200, ""));
			String downUrl = down.url();
			down.close();
			assertThatExceptionOfType(EdgePurger.PurgeException.class)
				.isThrownBy(
						() -> purger(downUrl, healthy.url()).purge(new EdgePurger.Purge(Set.of(), Set.of("/posts/1"))))
				.withMessageContaining("2 of 4 nginx purges failed")
				.withMessageContaining(downUrl);
			assertThat(healthy.requests()).hasSize(2);
		}
	}

	/**
	 * The target of a purge and the copy it is for, as the shipped configuration reads
	 * it.
	 */
	private static String copy(Request request) {
		String encoding = request.header("Accept-Encoding");
		return request.target() + " " + (encoding.isEmpty() ? "identity" : encoding);
	}

	private static NginxPurger purger(String... endpoints) {
		return new NginxPurger(List.of(endpoints).stream().map(URI::create).toList(),
				new EdgeHttp("nginx", Duration.ofSeconds(5), Clock.systemUTC()));
	}

}
