package dev.pagecache.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RawHttp;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.WithRedisServer;
import dev.pagecache.testapp.PageController;
import dev.pagecache.testapp.PageTestApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A popular page that is invalidated while many requests arrive is rendered about once:
 * once per instance through single flight, about once across instances through a lease in
 * Redis, and a renderer that crashed with the lease holds the others back no longer than
 * the lease. The page renders in 300 ms. Both instances are reached under one host name,
 * as behind a load balancer, so that they share the page's key.
 * <p>
 * With {@code pagecache.single-flight.enabled=false}, every concurrent request renders
 * (checked by hand).
 *
 * @author pagecache
 */
@WithRedisServer
class StampedeHttpTests {

	private static final String HOST = "www.example.com";

	private static final Duration LEASE = Duration.ofMillis(1500);

	static RedisServerProcess redis;

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoInstances() {
		first = start();
		second = start();
		// the first lookup in a namespace creates its epoch, and its render is not stored
		get(first, "/slow/0");
	}

	@AfterAll
	static void stopEverything() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
	}

	@BeforeEach
	void resetCounts() {
		controller(first).reset();
		controller(second).reset();
	}

	@Test
	void twoHundredRequestsForAnInvalidatedPageRenderItOnceInOneInstance() throws Exception {
		assertThat(get(first, "/slow/1").result()).isEqualTo("MISS");
		first.getBean(PageCache.class).invalidateTags(List.of("Slow#1"));
		controller(first).reset();
		List<Response> responses = concurrently(200, (i) -> get(first, "/slow/1"));
		assertThat(responses).allSatisfy((response) -> {
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("slow 1 render 1");
		});
		assertThat(controller(first).calls("slow")).isOne();
		assertThat(responses).filteredOn((response) -> response.result().equals("MISS")).hasSize(1);
	}

	@Test
	void requestsSpreadOverTwoInstancesRenderThePageAboutOnce() throws Exception {
		List<Response> responses = concurrently(200, (i) -> get((i % 2 == 0) ? first : second, "/slow/2"));
		assertThat(responses).allSatisfy((response) -> assertThat(response.status()).isEqualTo(200));
		// a second render needs an instance to miss before the page is stored and to ask
		// for the lease after it was given back: a window of a round trip, which a loaded
		// machine can stretch enough for one request to fall into
		int renders = controller(first).calls("slow") + controller(second).calls("slow");
		assertThat(renders).isBetween(1, 2);
		assertThat(responses).filteredOn((response) -> response.result().equals("HIT")).hasSizeGreaterThan(190);
	}

	@Test
	void aLeaseLeftByACrashedRendererHoldsOthersBackNoLongerThanTheLease() {
		assertThat(get(first, "/slow/3").result()).isEqualTo("MISS");
		String key = first.getBean(PageCache.class).pagesTagged("Slow#3").get(0);
		first.getBean(PageCache.class).invalidateTags(List.of("Slow#3"));
		PageStore crashed = RedisTestStores.otherInstance(first, "stampede");
		assertThat(crashed.lease(key, LEASE)).isTrue();
		long start = System.nanoTime();
		Response response = get(second, "/slow/3");
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.result()).isEqualTo("MISS");
		assertThat(controller(second).calls("slow")).isOne();
		assertThat(took).isGreaterThanOrEqualTo(LEASE.minusMillis(300)).isLessThan(LEASE.plusSeconds(2));
	}

	@Test
	void aLeaseGivenBackWithoutAPageLetsTheWaitingInstanceRenderWithoutWaitingItOut() throws Exception {
		assertThat(get(first, "/slow/4").result()).isEqualTo("MISS");
		String key = first.getBean(PageCache.class).pagesTagged("Slow#4").get(0);
		first.getBean(PageCache.class).invalidateTags(List.of("Slow#4"));
		PageStore other = RedisTestStores.otherInstance(first, "stampede");
		assertThat(other.lease(key, LEASE)).isTrue();
		Thread releaser = new Thread(() -> {
			try {
				Thread.sleep(200); // a render elsewhere that ends without a page
				other.release(key);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		releaser.start();
		long start = System.nanoTime();
		Response response = get(second, "/slow/4");
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		releaser.join();
		assertThat(response.result()).isEqualTo("MISS");
		assertThat(controller(second).calls("slow")).isOne();
		assertThat(took).isLessThan(LEASE);
	}

	@Test
	void anExpiredPageIsServedStaleWhileOneRequestRendersItAgain() throws Exception {
		assertThat(get(first, "/stale/1").result()).isEqualTo("MISS");
		Thread.sleep(1100); // the page's TTL is 1 s
		List<Response> responses = concurrently(20, (i) -> get(first, "/stale/1"));
		assertThat(responses).filteredOn((response) -> response.result().equals("MISS"))
			.singleElement()
			.satisfies((response) -> assertThat(response.body()).isEqualTo("stale 1 render 2"));
		assertThat(responses).filteredOn((response) -> !response.result().equals("MISS"))
			.allSatisfy((response) -> assertThat(response.result()).isIn("STALE", "HIT"))
			.filteredOn((response) -> response.result().equals("STALE"))
			.isNotEmpty()
			.allSatisfy((response) -> assertThat(response.body()).isEqualTo("stale 1 render 1"));
		assertThat(controller(first).calls("stale")).isEqualTo(2);
		Response fresh = get(first, "/stale/1");
		assertThat(fresh.result()).isEqualTo("HIT");
		assertThat(fresh.body()).isEqualTo("stale 1 render 2");
	}

	@Test
	void anInvalidatedPageIsNeverServedStale() throws Exception {
		assertThat(get(first, "/stale/2").result()).isEqualTo("MISS");
		Thread.sleep(1100); // expired, and then invalidated too
		first.getBean(PageCache.class).invalidateTags(List.of("Stale#2"));
		List<Response> responses = concurrently(20, (i) -> get(first, "/stale/2"));
		assertThat(responses).allSatisfy((response) -> {
			assertThat(response.result()).isIn("MISS", "HIT");
			assertThat(response.body()).isEqualTo("stale 2 render 2");
		});
	}

	private static List<Response> concurrently(int requests, IntFunction<Response> request) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(requests);
		try {
			CountDownLatch ready = new CountDownLatch(requests);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Response>> futures = new ArrayList<>();
			for (int i = 0; i < requests; i++) {
				int n = i;
				futures.add(executor.submit(() -> {
					ready.countDown();
					go.await();
					return request.apply(n);
				}));
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			go.countDown();
			List<Response> responses = new ArrayList<>();
			for (Future<Response> future : futures) {
				responses.add(future.get(60, TimeUnit.SECONDS));
			}
			return responses;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(PageTestApplication.class)
			.properties("server.port=0", "spring.data.redis.host=" + redis.getHost(),
					"spring.data.redis.port=" + redis.getPort(), "pagecache.redis.namespace=stampede",
					"pagecache.single-flight.lease=" + LEASE.toMillis() + "ms", "server.tomcat.threads.max=250")
			.run();
	}

	private static PageController controller(ConfigurableApplicationContext context) {
		return context.getBean(PageController.class);
	}

	/**
	 * A GET under the shared host name.
	 */
	private static Response get(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		RawHttp.Response response = new RawHttp(port).get(path, "Host: " + HOST);
		return new Response(response.status(), response.cacheResult(), response.body());
	}

	record Response(int status, String result, String body) {
	}

}
