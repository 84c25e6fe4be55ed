package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
import static org.awaitility.Awaitility.await;

/**
 * The page store on a Redis Cluster that speaks only TLS, clients and cluster bus alike:
 * three primaries of Debian's {@code redis-server} (the embedded Redis of the other
 * cluster tests has no TLS build), joined by {@code redis-cli --cluster create}, with a
 * certificate no JVM trusts by default. With {@code spring.data.redis.cluster.nodes} and
 * {@code spring.data.redis.ssl.bundle} the store reaches every primary, and its near
 * caches subscribe over TLS; without the bundle it cannot connect. Skipped with a message
 * where that server is not installed, unless {@code CI} is set.
 *
 * @author pagecache
 */
class RedisClusterTlsTests {

	private static final int PRIMARIES = 3;

	private static final int SHARDS = 16;

	private static final Duration TTL = Duration.ofMinutes(5);

	@TempDir
	static Path directory;

	private static final List<TlsRedisServer> nodes = new ArrayList<>();

	@BeforeAll
	static void startCluster() throws Exception {
		TlsRedisServer.assumeInstalled("the TLS cluster test");
		TlsRedisServer.writeCertificate(directory);
		for (int i = 0; i < PRIMARIES; i++) {
			int port = VarnishProcess.freePort();
			nodes.add(TlsRedisServer.start(directory, port, "--cluster-enabled", "yes", "--cluster-config-file",
					"nodes-" + port + ".conf", "--cluster-port", Integer.toString(VarnishProcess.freePort()),
					"--tls-cluster", "yes", "--tls-replication", "yes"));
		}
		List<String> create = new ArrayList<>(List.of("--cluster", "create"));
		nodes.forEach((node) -> create.add("127.0.0.1:" + node.port()));
		create.add("--cluster-yes");
		nodes.get(0).cli(directory, create.toArray(String[]::new));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> nodes.stream()
				.allMatch((node) -> node.cli(directory, "CLUSTER", "INFO").contains("cluster_state:ok")));
	}

	@AfterAll
	static void stopCluster() {
		nodes.forEach(TlsRedisServer::close);
		nodes.clear();
	}

	@Test
	void storeSpeaksTlsToEveryPrimaryAndItsNearCachesSubscribeOverTls() {
		runner().withPropertyValues("spring.data.redis.ssl.bundle=redis").run((context) -> {
			PageStore store = context.getBean(PageStore.class);
			store.check();
			RedisNearCaches nearCaches = context.getBean(RedisNearCaches.class);
			await().atMost(Duration.ofSeconds(10))
				.alias("every shard's near cache subscribed")
				.until(() -> IntStream.range(0, SHARDS).allMatch((shard) -> nearCaches.get(shard).isTrusted()));
			List<Long> keysBefore = nodes.stream()
				.map((node) -> Long.parseLong(node.cli(directory, "DBSIZE")))
				.toList();
			List<String> tags = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				String key = "/posts/" + i;
				tags.add("Post#" + i);
				assertThat(store.put(key, entry(i), TTL, store.lookup(key))).isTrue();
				assertThat(store.lookup(key).isHit()).isTrue();
				assertThat(store.lookup(key).isHit()).isTrue();
			}
			assertThat(nearCaches.getHits()).as("lookups served from memory").isGreaterThanOrEqualTo(32);
			for (int i = 0; i < nodes.size(); i++) {
				assertThat(Long.parseLong(nodes.get(i).cli(directory, "DBSIZE"))).as("keys of primary %d", i)
					.isGreaterThan(keysBefore.get(i));
			}
			store.invalidate(tags);
			assertThat(IntStream.range(0, 32).filter((i) -> store.lookup("/posts/" + i).isHit()).boxed())
				.as("pages still hit after their invalidation")
				.isEmpty();
		});
	}

	@Test
	@ExpectedLogs(value = { "dev.pagecache.redis", "io.lettuce", "org.springframework.data.redis" },
			because = "the store is given TLS without the bundle that trusts the cluster's certificate")
	void storeWithoutTheBundleDoesNotTrustTheCluster() {
		runner().withPropertyValues("pagecache.redis.near-cache.enabled=false")
			.run((context) -> assertThatException().isThrownBy(() -> context.getBean(PageStore.class).check())
				.matches(TlsRedisServer::causedByTls, "caused by TLS"));
	}

	private static WebApplicationContextRunner runner() {
		String clusterNodes = nodes.stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
					WebMvcAutoConfiguration.class, PageCacheRedisAutoConfiguration.class,
					PageCacheAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.cluster.nodes=" + clusterNodes, "spring.data.redis.ssl.enabled=true",
					"pagecache.redis.namespace=tls-" + UUID.randomUUID(),
					"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + directory.resolve("cert.pem"));
	}

	private static PageEntry entry(int post) {
		return new PageEntry(200, List.of(), ("<p>post " + post + "</p>").getBytes(StandardCharsets.UTF_8), 10,
				"\"" + post + "\"", 0, Set.of("Post#" + post));
	}

}
