package dev.pagecache.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.RedisTestStores;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.test.RedisCommandCalls;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.RedisSlowdown;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis faults under a steady request load (DESIGN R1 and F4): four client threads
 * request cached pages over HTTP while the test's own redis-server is killed, restarted
 * empty, paused with SIGSTOP (a black hole) and slowed down by back-to-back
 * {@code DEBUG SLEEP 0.3} (every command waits for the rest of the current sleep, so most
 * exceed the command timeout). For each fault:
 * <ul>
 * <li>every request is answered 200;</li>
 * <li>no request takes longer than the command timeout (100 ms, set here) plus
 * {@link #MARGIN} plus the longest stall of the test's JVM during the load (a thread that
 * sleeps 1 ms at a time measures how much later it wakes, as jHiccup does: a garbage
 * collection or a machine busy with other builds delays every thread alike, and is not a
 * request waiting for Redis);</li>
 * <li>the circuit breaker stops calling Redis: the store's commands ({@code MGET},
 * {@code EVALSHA}, {@code EVAL}) that Redis received while it was paused or slow, counted
 * with {@code INFO commandstats} once it answers again, stay within what the breaker
 * allows (see {@link #callsTheBreakerAllows}). A killed Redis cannot count, and Lettuce
 * rejects commands at once while disconnected, so there is nothing to count there;</li>
 * <li>it probes Redis again, and caching resumes: the breaker is open when each fault
 * ends, and only a successful probe closes it, so a hit after the fault proves both;</li>
 * <li>an invalidation sent through {@link PageCache} during the fault, which cannot reach
 * Redis, never leaves a stale page (F4): no response to a request that started after the
 * invalidation returned shows the content from before it. The paused and slow Redis keep
 * the old page, so there only the store's recovery (a clear once Redis answers) keeps it
 * from being served.</li>
 * </ul>
 * Each fault prints one line with the requests sent, the errors and the worst latency.
 * Checked by hand that the assertions fail without their protection: with
 * {@code pagecache.redis.timeout} and {@code connect-timeout} at 10 s the paused and slow
 * faults exceed the latency bound (10 s and 0.9 s; the timeout alone is not enough, since
 * Spring Data also applies the client's command timeout, which the auto-configuration
 * sets to the connect timeout, to every command); with
 * {@code pagecache.redis.circuit-breaker-failures=1000000} Redis receives 35 store
 * commands while paused and 123 while slow (the bounds are 12 and 42); with the clear on
 * recovery removed from {@code RedisPageStore} the paused fault serves the stale page.
 * The near cache is off here; {@link RedisFaultsUnderLoadNearCacheTests} runs the same
 * faults with it on.
 *
 * @author pagecache
 */
@SpringBootTest(classes = RedisFaultsUnderLoadTests.FaultsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.redis.timeout=100ms", "pagecache.redis.connect-timeout=100ms",
				"pagecache.redis.circuit-breaker-failures=3", "pagecache.redis.circuit-breaker-open-duration=1s",
				"pagecache.redis.namespace=faults", "pagecache.redis.near-cache.enabled=false" })
@WithRedisServer
@ExpectedLogs(value = "dev.pagecache.web.PageCacheFilter",
		because = "Redis is killed, paused and slowed down under load")
class RedisFaultsUnderLoadTests {

	private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(100);

	/**
	 * Over the command timeout: a fault that begins between a request's lookup and its
	 * store costs the store command's timeout too (the timeout is per command), then the
	 * render and the scheduling of a JVM sharing two cores with other builds (GC, JIT,
	 * Tomcat and client threads). It still catches a request that waits for a hung Redis
	 * beyond the timeout.
	 */
	private static final Duration MARGIN = Duration.ofMillis(400);

	private static final int CLIENTS = 4;

	private static final int FAILURE_THRESHOLD = 3;

	private static final Duration OPEN_DURATION = Duration.ofSeconds(1);

	private static final Duration FAULT = Duration.ofSeconds(3);

	private static final int PAGES = 20;

	/**
	 * With the near cache on, the acknowledgements it may write during a fault (a script
	 * each, outside the circuit breaker): one per position it reaches, that is the test's
	 * invalidation, which a paused or slow Redis still runs, and a clear or new epoch.
	 */
	private static final int ACKNOWLEDGEMENTS = 2;

	/** The page that the test invalidates during each fault. */
	private static final long WATCHED = 1;

	static RedisServerProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	NewsController news;

	@Autowired
	PageCache pageCache;

	@Autowired
	PageCacheProperties properties;

	@Autowired
	ApplicationContext context;

	private Load load;

	@BeforeEach
	void cachingWorks() {
		if (!redis.isRunning()) {
			redis.restart();
		}
		this.load = new Load(TestHttp.bytes(this.port), this.news);
		awaitHit("/news/" + WATCHED);
	}

	@AfterEach
	void stopLoad() {
		this.load.stop();
		if (redis.isRunning()) {
			redis.resume();
		}
	}

	@Test
	void killedRedis() {
		this.load.start();
		hold(Duration.ofMillis(500));
		redis.kill();
		invalidateWatchedPageDuringTheFault();
		hold(FAULT);
		redis.restart();
		assertRecovered("killed", -1);
	}

	@Test
	void redisRestartedEmpty() {
		this.load.start();
		hold(Duration.ofMillis(500));
		redis.kill();
		invalidateWatchedPageDuringTheFault();
		redis.restart();
		assertRecovered("restarted empty", -1);
	}

	@Test
	void pausedRedis() {
		Window paused = countedFault(redis::pause, redis::resume);
		assertRecovered("paused", paused.calls());
		assertThat(paused.calls()).as("store commands Redis received while paused")
			.isLessThanOrEqualTo(callsTheBreakerAllows(paused.duration()));
	}

	@Test
	void slowRedis() {
		AtomicReference<RedisSlowdown> slowdown = new AtomicReference<>();
		Window slow = countedFault(() -> slowdown.set(redis.slowDown(Duration.ofMillis(300))),
				() -> slowdown.get().close());
		assertRecovered("slow", slow.calls());
		assertThat(slowdown.get().getSleeps()).as("sleeps").isGreaterThan(5);
		// a slow Redis answers some commands within the timeout, each success closes the
		// breaker again and
		// lets up to the threshold plus the clients' calls through: so many for each
		// probe
		assertThat(slow.calls()).as("store commands Redis received while slow")
			.isLessThanOrEqualTo(callsTheBreakerAllows(slow.duration()) * (CLIENTS + FAILURE_THRESHOLD) / 2);
	}

	/**
	 * Run a fault under load, counting the store commands Redis received from its
	 * beginning to its end: both happen while no request is in flight, so that every
	 * command counted was sent during the fault.
	 */
	private Window countedFault(Runnable begin, Runnable end) {
		this.load.start();
		hold(Duration.ofMillis(500));
		long before = this.load.quiet(() -> {
			long count = storeCommands();
			begin.run();
			return count;
		});
		long start = System.nanoTime();
		invalidateWatchedPageDuringTheFault();
		hold(FAULT);
		long calls = this.load.quiet(() -> {
			end.run();
			return awaitStoreCommands() - before;
		});
		return new Window(calls, Duration.ofNanos(System.nanoTime() - start));
	}

	/**
	 * The store commands that reach Redis while every one of them fails: those in flight
	 * and those started before the breaker has counted the threshold of failures, one
	 * probe per open duration, and the test's own invalidation.
	 */
	private long callsTheBreakerAllows(Duration window) {
		long probes = window.toMillis() / OPEN_DURATION.toMillis() + 1;
		return CLIENTS + FAILURE_THRESHOLD + probes + 1 + (nearCacheOn() ? ACKNOWLEDGEMENTS : 0);
	}

	/**
	 * Change the watched page's content and invalidate it through the programmatic API
	 * while Redis is failing; the invalidation is expected to fail (the brief window
	 * where a slow Redis answers in time aside).
	 */
	private void invalidateWatchedPageDuringTheFault() {
		this.news.publish(WATCHED);
		try {
			this.pageCache.invalidateEntity(News.class, WATCHED);
		}
		catch (RuntimeException ex) {
			// lost: the store must make up for it once Redis is back
		}
		this.load.expectVersion(this.news.version(WATCHED), System.nanoTime());
	}

	private void assertRecovered(String fault, long calls) {
		awaitHit("/news/" + WATCHED);
		for (int i = 0; i < PAGES; i++) {
			awaitHit("/news/" + i);
		}
		hold(Duration.ofMillis(300));
		Load.Figures figures = this.load.stop();
		long nearCacheHits = nearCacheOn() ? RedisTestStores.nearCacheHits(this.context) : -1;
		System.out.printf(
				"Redis fault %-15s requests %6d  errors %d  worst latency %4d ms  longest stall %4d ms  stale %d  "
						+ "store commands during the fault %s  near cache hits %s%n",
				fault, figures.requests(), figures.errors(), figures.worst().toMillis(), figures.stall().toMillis(),
				figures.stale(), (calls >= 0) ? Long.toString(calls) : "n/a",
				(nearCacheHits >= 0) ? Long.toString(nearCacheHits) : "off");
		if (nearCacheOn()) {
			assertThat(nearCacheHits).as("pages served from the near cache").isPositive();
		}
		assertThat(figures.requests()).as("requests").isGreaterThan(100);
		assertThat(figures.errors()).as("failed requests, first: %s", figures.firstError()).isZero();
		assertThat(figures.worst()).as("worst latency (the JVM's longest stall: %d ms)", figures.stall().toMillis())
			.isLessThan(COMMAND_TIMEOUT.plus(MARGIN).plus(figures.stall()));
		assertThat(figures.stale()).as("stale responses after the invalidation").isZero();
		assertThat(figures.watchedAfterInvalidation()).as("responses of the watched page after the invalidation")
			.isPositive();
	}

	private void awaitHit(String path) {
		TestHttp<byte[]> http = TestHttp.bytes(this.port);
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		String outcome = "none";
		while (System.nanoTime() < deadline) {
			HttpResponse<byte[]> response = http.get(path);
			outcome = response.statusCode() + " " + cacheResult(response);
			if (outcome.equals("200 HIT")) {
				return;
			}
			hold(Duration.ofMillis(20));
		}
		throw new AssertionError("Caching of " + path + " did not resume within 20 s; last response " + outcome);
	}

	/**
	 * The store's commands Redis has executed so far. With the near cache on, its
	 * heartbeats (scripts that bypass the circuit breaker, one per heartbeat interval)
	 * are left out: each runs {@code HSETNX} once, which no other script does.
	 */
	private long storeCommands() {
		RedisCommandCalls calls = RedisCommandCalls.of(redis);
		long total = calls.of("mget") + calls.of("evalsha") + calls.of("eval");
		return nearCacheOn() ? total - calls.of("hsetnx") : total;
	}

	private boolean nearCacheOn() {
		return this.properties.getRedis().getNearCache().isEnabled();
	}

	/**
	 * The store's commands once Redis has worked through those that waited in its
	 * connections: the same count twice, 200 ms apart.
	 */
	private long awaitStoreCommands() {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		long previous = storeCommands();
		while (System.nanoTime() < deadline) {
			hold(Duration.ofMillis(200));
			long current = storeCommands();
			if (current == previous) {
				return current;
			}
			previous = current;
		}
		throw new AssertionError("Redis kept receiving store commands with no requests running");
	}

	private static void hold(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Client threads that request the pages in turn, timing each request and checking the
	 * watched page's content once it was invalidated. {@link #quiet} lets the test act
	 * between requests: no request is in flight meanwhile, so Redis command counts taken
	 * there belong to one side of a fault.
	 */
	static final class Load {

		private final TestHttp<byte[]> http;

		private final NewsController news;

		private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean running;

		private final AtomicInteger requests = new AtomicInteger();

		private final AtomicInteger errors = new AtomicInteger();

		private final AtomicInteger stale = new AtomicInteger();

		private final AtomicInteger watched = new AtomicInteger();

		private final AtomicLong worstNanos = new AtomicLong();

		private final AtomicLong stallNanos = new AtomicLong();

		private final Map<String, String> firstError = new ConcurrentHashMap<>();

		private volatile long invalidatedAt;

		private volatile int expectedVersion = -1;

		Load(TestHttp<byte[]> http, NewsController news) {
			this.http = http;
			this.news = news;
		}

		void start() {
			this.running = true;
			Thread meter = new Thread(this::measureStalls, "load-stalls");
			meter.setDaemon(true);
			this.threads.add(meter);
			meter.start();
			for (int i = 0; i < CLIENTS; i++) {
				int client = i;
				Thread thread = new Thread(() -> run(client), "load-" + i);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		void expectVersion(int version, long since) {
			this.invalidatedAt = since;
			this.expectedVersion = version;
		}

		long quiet(LongSupplier action) {
			this.gate.writeLock().lock();
			try {
				return action.getAsLong();
			}
			finally {
				this.gate.writeLock().unlock();
			}
		}

		Figures stop() {
			this.running = false;
			for (Thread thread : this.threads) {
				try {
					thread.join(30_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.threads.clear();
			return new Figures(this.requests.get(), this.errors.get(), Duration.ofNanos(this.worstNanos.get()),
					Duration.ofNanos(this.stallNanos.get()), this.stale.get(), this.watched.get(),
					this.firstError.getOrDefault("first", "none"));
		}

		/**
		 * Sleep 1 ms at a time while the load runs, keeping the longest delay beyond it.
		 */
		private void measureStalls() {
			long interval = TimeUnit.MILLISECONDS.toNanos(1);
			while (this.running) {
				long start = System.nanoTime();
				LockSupport.parkNanos(interval);
				this.stallNanos.accumulateAndGet(System.nanoTime() - start - interval, Math::max);
			}
		}

		private void run(int client) {
			int next = client;
			while (this.running) {
				long id = next++ % PAGES;
				this.gate.readLock().lock();
				try {
					request(id);
				}
				finally {
					this.gate.readLock().unlock();
				}
			}
		}

		private void request(long id) {
			long start = System.nanoTime();
			int expected = this.expectedVersion;
			boolean checked = id == WATCHED && expected >= 0 && start - this.invalidatedAt > 0;
			try {
				HttpResponse<byte[]> response = this.http.get("/news/" + id);
				this.worstNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
				this.requests.incrementAndGet();
				if (response.statusCode() != 200) {
					error(id + ": status " + response.statusCode());
					return;
				}
				if (checked) {
					this.watched.incrementAndGet();
					String body = new String(response.body(), StandardCharsets.UTF_8);
					if (!body.equals(NewsController.render(id, expected))) {
						this.stale.incrementAndGet();
					}
				}
			}
			catch (RuntimeException ex) {
				this.requests.incrementAndGet();
				error(id + ": " + ex);
			}
		}

		private void error(String description) {
			this.errors.incrementAndGet();
			this.firstError.putIfAbsent("first", description);
		}

		record Figures(int requests, int errors, Duration worst, Duration stall, int stale,
				int watchedAfterInvalidation, String firstError) {
		}

	}

	private record Window(long calls, Duration duration) {
	}

	/** The entity type whose tags the news pages carry. */
	static final class News {

	}

	@RestController
	static class NewsController {

		private final Map<Long, AtomicInteger> versions = new ConcurrentHashMap<>();

		static String render(long id, int version) {
			return "news " + id + " version " + version;
		}

		int version(long id) {
			return this.versions.computeIfAbsent(id, (key) -> new AtomicInteger()).get();
		}

		void publish(long id) {
			this.versions.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
		}

		@GetMapping("/news/{id}")
		@CachePage(tags = "'News#' + #id")
		String news(@PathVariable long id) {
			return render(id, version(id));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(NewsController.class)
	static class FaultsApplication {

	}

}
