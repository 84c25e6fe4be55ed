package dev.pagecache.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy: an instance makes a page hot in the store's hot list, clears the cache (new
 * templates) and stops; the next instance on the same Redis renders the page once it is
 * ready, before any reader asks, and its first reader is served a hit.
 */
class WarmOnStartHttpTests {

	private static final Duration DEADLINE = Duration.ofSeconds(10);

	private static final int PORT = freePort();

	@Test
	void nextInstanceRendersTheHotPagesOfTheInstanceBeforeItOnceReady() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			String path = "/places/station";
			try (ConfigurableApplicationContext before = start(redis)) {
				TestHttp<String> http = TestHttp.text(port(before));
				for (int i = 0; i < 4; i++) {
					http.get(path);
				}
				String key = "GET http://localhost:" + port(before) + path;
				PageStore store = before.getBean(PageStore.class);
				await(() -> store.hottest(10, 3).stream().anyMatch((page) -> page.key().endsWith(path)));
				before.getBean(PageCache.class).clear();
				assertThat(store.lookup(key).isHit()).isFalse();
			}
			try (ConfigurableApplicationContext after = start(redis)) {
				RefreshAheadHttpTests.PlaceController places = after
					.getBean(RefreshAheadHttpTests.PlaceController.class);
				await(() -> places.renders("station") == 1);
				HttpResponse<String> first = TestHttp.text(port(after)).get(path);
				assertThat(TestHttp.cacheResult(first)).isEqualTo("HIT");
				assertThat(places.renders("station")).isOne();
			}
		}
	}

	/**
	 * An instance on a fixed port, as instances behind one host name are: the keys of the
	 * hot list name the host and port the readers used.
	 */
	private static ConfigurableApplicationContext start(RedisServerProcess redis) {
		return new SpringApplicationBuilder(RefreshAheadHttpTests.PlaceApplication.class).run("--server.port=" + PORT,
				"--spring.data.redis.host=" + redis.getHost(), "--spring.data.redis.port=" + redis.getPort(),
				"--pagecache.store=redis", "--pagecache.refresh-ahead.enabled=true",
				"--pagecache.refresh-ahead.flush-interval=100ms", "--pagecache.refresh-ahead.max-cpu-load=1",
				"--pagecache.refresh-ahead.warm-on-clear=false", "--spring.main.banner-mode=off");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static void await(BooleanSupplier condition) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition met within " + DEADLINE).isLessThan(deadline);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
