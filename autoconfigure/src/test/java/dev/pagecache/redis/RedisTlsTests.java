package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.VarnishProcess;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The page store over TLS to a real Redis server (Debian's {@code redis-server}, built
 * with TLS) whose certificate no JVM trusts by default:
 * {@code spring.data.redis.ssl.bundle} gives the store's own connection the bundle's
 * trust material, as Spring Boot gives it to its own; without the bundle the store cannot
 * connect. Skipped with a message where that server is not installed, unless {@code CI}
 * is set.
 *
 * @author pagecache
 */
class RedisTlsTests {

	@TempDir
	static Path directory;

	private static TlsRedisServer server;

	@BeforeAll
	static void startServer() throws Exception {
		TlsRedisServer.assumeInstalled("the TLS test");
		TlsRedisServer.writeCertificate(directory);
		server = TlsRedisServer.start(directory, VarnishProcess.freePort());
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void storeSpeaksTlsWithTheTrustOfTheSslBundle() {
		runner().withPropertyValues("spring.data.redis.ssl.bundle=redis").run((context) -> {
			PageStore store = context.getBean(PageStore.class);
			store.check();
			PageEntry entry = new PageEntry(200, List.of(), "<p>one</p>".getBytes(StandardCharsets.UTF_8), 10, "\"e\"",
					0, Set.of("Post#1"));
			assertThat(store.put("/posts/1", entry, Duration.ofMinutes(1), store.lookup("/posts/1"))).isTrue();
			assertThat(store.lookup("/posts/1").isHit()).isTrue();
		});
	}

	@Test
	@ExpectedLogs(value = { "dev.pagecache.redis", "io.lettuce" },
			because = "the store is given TLS without the bundle that trusts the server's certificate")
	void storeWithoutTheBundleDoesNotTrustTheServer() {
		runner().run((context) -> assertThatException().isThrownBy(() -> context.getBean(PageStore.class).check())
			.matches(TlsRedisServer::causedByTls, "caused by TLS"));
	}

	private static WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WebMvcAutoConfiguration.class, PageCacheRedisAutoConfiguration.class,
					PageCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + server.port(),
					"spring.data.redis.ssl.enabled=true", "pagecache.redis.near-cache.enabled=false",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + directory.resolve("cert.pem"));
	}

}
