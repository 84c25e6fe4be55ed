package dev.pagecache.redis;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
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

	private static final Path SERVER = Path.of("/usr/bin/redis-server");

	@TempDir
	static Path directory;

	private static Process server;

	private static int port;

	@BeforeAll
	static void startServer() throws Exception {
		if (!Files.isExecutable(SERVER)) {
			String message = SERVER + " is not installed (Debian: apt-get install redis-server), so the TLS test "
					+ "is skipped.";
			if (System.getenv("CI") != null) {
				Assertions.fail(message + " The CI environment variable is set, so this is a failure, not a skip.");
			}
			Assumptions.abort(message);
		}
		writeCertificate();
		port = VarnishProcess.freePort();
		server = new ProcessBuilder(SERVER.toString(), "--port", "0", "--tls-port", Integer.toString(port), "--bind",
				"127.0.0.1", "--tls-cert-file", directory.resolve("cert.pem").toString(), "--tls-key-file",
				directory.resolve("key.pem").toString(), "--tls-ca-cert-file", directory.resolve("cert.pem").toString(),
				"--tls-auth-clients", "no", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		awaitListening();
	}

	@AfterAll
	static void stopServer() throws InterruptedException {
		if (server != null) {
			server.destroy();
			server.waitFor(10, TimeUnit.SECONDS);
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
		runner().run((context) -> assertThatException().isThrownBy(() -> context.getBean(PageStore.class).check()));
	}

	private static WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WebMvcAutoConfiguration.class, PageCacheRedisAutoConfiguration.class,
					PageCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
					"spring.data.redis.ssl.enabled=true", "pagecache.redis.near-cache.enabled=false",
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + directory.resolve("cert.pem"));
	}

	/**
	 * A self-signed certificate for 127.0.0.1 made by the JDK's keytool, and its key,
	 * written as PEM files for Redis.
	 */
	private static void writeCertificate() throws IOException, InterruptedException, GeneralSecurityException {
		Path keyStore = directory.resolve("redis.p12");
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "redis", "-keyalg", "RSA",
				"-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity",
				"2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "secret", "-keypass",
				"secret")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("keytool.log").toFile())
			.start();
		assertThat(process.waitFor()).as("keytool: %s", Files.readString(directory.resolve("keytool.log"))).isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(keyStore.toFile())) {
			store.load(in, "secret".toCharArray());
		}
		Files.writeString(directory.resolve("key.pem"),
				pem("PRIVATE KEY", store.getKey("redis", "secret".toCharArray()).getEncoded()));
		Files.writeString(directory.resolve("cert.pem"),
				pem("CERTIFICATE", store.getCertificate("redis").getEncoded()));
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static void awaitListening() throws InterruptedException, IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline || !server.isAlive()) {
					throw new IllegalStateException(
							"Redis with TLS did not start: " + Files.readString(directory.resolve("redis.log")), ex);
				}
				Thread.sleep(50);
			}
		}
	}

}
