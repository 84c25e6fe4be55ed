package dev.pagecache.jpa;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import dev.pagecache.jpa.blog.RecordingPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.NginxProcess;

import org.springframework.beans.factory.annotation.Autowired;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The randomized freshness test through a real nginx running the shipped
 * {@code edge/nginx/pagecache.conf} with Debian's cache purge module: readers read
 * through nginx, which serves the pages it holds without asking the application, and
 * every committed write purges nginx by URL before it returns, and again after
 * {@code pagecache.edge.repurge-delay}. Between nginx and the application runs a
 * {@link SlowNetwork}: a response reaches nginx {@link #LATENCY} after the application
 * handed it over, so responses are in flight during commits, as between machines. And
 * each invalidation of the store begins {@link #SLOW_INVALIDATION} after the edge's read
 * of the store's index, as with a slow Redis or a pause of the JVM: renders that began
 * before the commit store their pages in between, and those must be purged too. Skipped
 * with a message where nginx or the purge module is not installed, unless {@code CI} is
 * set.
 * <p>
 * What counts as stale: unlike the shipped VCL, nginx cannot remember when it was purged,
 * so a response that was on its way to nginx during the commit (rendered before it,
 * stored by nginx after the first purge) may be served until the repurge. A read is stale
 * when it does not show a write that returned at least {@link #STALE_AFTER} before the
 * read started: the repurge delay ({@link #REPURGE_DELAY}), and time for the repurge to
 * reach nginx. A read that starts earlier may show the state before that write, never an
 * older one. Writers pause between writes (longer on average than that margin), so that a
 * page left stale at nginx is read while it is stale rather than purged by the next write
 * of its post first: a purge that misses a page, or a missing repurge, shows as stale
 * reads.
 */
@TestPropertySource(properties = { "pagecache.edge.enabled=true", "pagecache.edge.tag-header=none",
		"pagecache.edge.repurge-delay=100ms" })
class NginxEdgeRandomizedFreshnessTests extends RandomizedFreshnessTests {

	/** {@code pagecache.edge.repurge-delay}. */
	static final Duration REPURGE_DELAY = Duration.ofMillis(100);

	/** How long after a write returned a read that misses it is stale. */
	static final Duration STALE_AFTER = REPURGE_DELAY.plusMillis(200);

	private static final int NGINX_PORT = NginxProcess.freePort();

	/** How long a response takes from the application to nginx. */
	static final Duration LATENCY = Duration.ofMillis(30);

	/** How long after the read of the index each invalidation of the store begins. */
	static final Duration SLOW_INVALIDATION = Duration.ofMillis(20);

	@Autowired
	PageStore store;

	private static NginxProcess nginx;

	private static SlowNetwork network;

	@DynamicPropertySource
	static void nginxEndpoint(DynamicPropertyRegistry registry) {
		registry.add("pagecache.edge.nginx.endpoints", () -> "http://127.0.0.1:" + NGINX_PORT);
	}

	@BeforeAll
	static void nginxInstalled() {
		NginxProcess.assumeInstalled();
	}

	@BeforeEach
	void startNginxInFrontOfTheApplication() {
		if (nginx == null) {
			network = new SlowNetwork(this.port, LATENCY);
			nginx = NginxProcess.startInFrontOf(Path.of("../edge/nginx/pagecache.conf"), network.getPort(), NGINX_PORT);
		}
	}

	@BeforeEach
	void slowInvalidations() {
		((RecordingPageStore) this.store).setBeforeInvalidate(() -> LockSupport.parkNanos(SLOW_INVALIDATION.toNanos()));
	}

	@AfterEach
	void fastInvalidations() {
		((RecordingPageStore) this.store).reset();
	}

	@AfterAll
	static void stopNginx() {
		if (nginx != null) {
			nginx.close();
			nginx = null;
		}
		if (network != null) {
			network.close();
			network = null;
		}
	}

	@Override
	protected List<Integer> ports() {
		return List.of(NGINX_PORT);
	}

	@Override
	protected Duration staleAfter() {
		return STALE_AFTER;
	}

	@Override
	protected Duration pauseBetweenWrites() {
		return STALE_AFTER.plusMillis(100);
	}

	@Override
	protected int writesPerWriter() {
		return 100;
	}

}
