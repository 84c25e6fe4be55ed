package dev.pagecache.jpa;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import dev.pagecache.test.VarnishProcess;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The randomized freshness test through a real Varnish running the shipped
 * {@code edge/varnish/pagecache.vcl} ({@code pagecache.edge.enabled=true}): readers read
 * through Varnish, which serves the pages it holds without asking the application, and
 * every committed write purges Varnish before it returns. Zero stale reads. Skipped with
 * a message where {@code varnishd} is not installed, unless {@code CI} is set.
 */
@TestPropertySource(properties = { "pagecache.edge.enabled=true",
		"pagecache.edge.repurge-delay=" + EdgeRandomizedFreshnessTests.REPURGE_DELAY_MILLIS + "ms" })
class EdgeRandomizedFreshnessTests extends RandomizedFreshnessTests {

	/** Short, so that the last writes' second purges are sent before Varnish stops. */
	static final long REPURGE_DELAY_MILLIS = 200;

	private static final int VARNISH_PORT = VarnishProcess.freePort();

	private static VarnishProcess varnish;

	@DynamicPropertySource
	static void varnishEndpoint(DynamicPropertyRegistry registry) {
		registry.add("pagecache.edge.varnish.endpoints", () -> "http://127.0.0.1:" + VARNISH_PORT);
	}

	@BeforeAll
	static void varnishInstalled() {
		VarnishProcess.assumeInstalled();
	}

	@BeforeEach
	void startVarnishInFrontOfTheApplication() {
		if (varnish == null) {
			varnish = VarnishProcess.start(VARNISH_PORT, this.port);
		}
	}

	@AfterAll
	static void stopVarnish() throws InterruptedException {
		// the application stays in the context cache: its last second purges go first
		Thread.sleep(REPURGE_DELAY_MILLIS + 1000);
		if (varnish != null) {
			varnish.close();
			varnish = null;
		}
	}

	@Override
	protected List<Integer> ports() {
		return List.of(VARNISH_PORT);
	}

}
