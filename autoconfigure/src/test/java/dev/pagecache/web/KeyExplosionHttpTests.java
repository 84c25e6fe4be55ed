package dev.pagecache.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.PageCache;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random ids and random query strings cannot fill Redis (DESIGN S2, S3): 100,000 requests
 * over HTTP against a real Redis keep its memory ({@code INFO memory}
 * {@code used_memory}, minus the figure before the requests) under
 * {@link #BUDGET_PER_PATTERN}. What bounds it is that unknown query parameters are not
 * part of the key and that a 404 is not stored: the test fails with
 * {@code pagecache.cacheable-statuses=200,404} (50,000 pages stored, 65 MB, before routes
 * had a page cap; the cap's 10,000 pages are still ten times the budget).
 * <p>
 * Random values of a parameter the handler binds are another matter: each is a page of
 * its own, kept until its TTL, so only {@code pagecache.redis.max-pages-per-route} bounds
 * them. Without it ({@code max-pages-per-route=0}) 100,000 such requests took 100 MB.
 *
 * @author pagecache
 */
@SpringBootTest(classes = KeyExplosionHttpTests.ExplosionApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=explosion")
@WithRedisServer
class KeyExplosionHttpTests {

	/**
	 * What a page pattern with few real pages may take in Redis: room for a few hundred
	 * pages of this size.
	 */
	private static final DataSize BUDGET_PER_PATTERN = DataSize.ofMegabytes(1);

	/**
	 * What a page pattern with a page for every value of a bound parameter may take: the
	 * default {@code pagecache.redis.max-pages-per-route} (10,000) of these pages, about
	 * 1.7 KB each in Redis with their tags, marker and index entries, and room to spare.
	 * A full route deletes its least used page for each new one, with that page's
	 * records, so the figure stays what the cap's pages take however many requests
	 * arrive.
	 */
	private static final DataSize BUDGET_OF_A_CAPPED_PATTERN = DataSize.ofMegabytes(24);

	private static final int REQUESTS = 100_000;

	private static final int CLIENTS = 6;

	private static final int KNOWN_ITEMS = 50;

	static RedisServerProcess redis;

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
		this.pageCache.clear();
		// the first lookup of a namespace creates its epoch, the next one stores
		for (int i = 0; i < 2; i++) {
			this.http.get("/items/1");
		}
		assertThat(cacheResult(this.http.get("/items/1"))).isEqualTo("HIT");
	}

	@Test
	void randomIdsAndQueryStringsKeepRedisMemoryWithinTheBudget() {
		Explosion explosion = explode((i) -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			long id = (i % 2 == 0) ? 1 + random.nextInt(KNOWN_ITEMS) : KNOWN_ITEMS + 1 + random.nextLong(1L << 40);
			return "/items/" + id + "?" + randomName(random) + "=" + random.nextLong() + "&utm_source="
					+ random.nextInt();
		});
		explosion.print("/items/{id}, random ids and query strings", BUDGET_PER_PATTERN);
		assertThat(explosion.errors()).as("requests answered neither 200 nor 404").isZero();
		assertThat(explosion.memory()).as("Redis memory taken by /items/{id}").isLessThan(BUDGET_PER_PATTERN);
		assertThat(cacheResult(this.http.get("/items/2?utm_source=" + System.nanoTime()))).isEqualTo("HIT");
	}

	@Test
	void randomValuesOfABoundParameterStopAtTheCapOfTheRoute() {
		Explosion explosion = explode((i) -> "/search?q=" + randomName(ThreadLocalRandom.current()));
		explosion.print("/search?q=, random values of a bound parameter", BUDGET_OF_A_CAPPED_PATTERN);
		assertThat(explosion.errors()).isZero();
		assertThat(explosion.memory()).as("Redis memory taken by /search").isLessThan(BUDGET_OF_A_CAPPED_PATTERN);
	}

	@Test
	void randomLocalesStopAtTheCapOfTheRoute() {
		Explosion explosion = explode((i) -> "/items/1", (i) -> {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			return new String[] { "Accept-Language",
					letters(random, 2 + random.nextInt(2)) + "-" + letters(random, 2).toUpperCase(Locale.ROOT) };
		});
		explosion.print("/items/{id}, random Accept-Language values (the locale is keyed)", BUDGET_OF_A_CAPPED_PATTERN);
		assertThat(explosion.errors()).isZero();
		assertThat(explosion.memory()).as("Redis memory taken by /items/{id}").isLessThan(BUDGET_OF_A_CAPPED_PATTERN);
	}

	private Explosion explode(IntFunction<String> paths) {
		return explode(paths, (i) -> new String[0]);
	}

	private Explosion explode(IntFunction<String> paths, IntFunction<String[]> headers) {
		long baseline = usedMemory();
		AtomicInteger sent = new AtomicInteger();
		AtomicInteger errors = new AtomicInteger();
		long start = System.nanoTime();
		List<Thread> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			Thread client = new Thread(() -> {
				TestHttp<byte[]> http = TestHttp.bytes(this.port);
				for (int i = sent.getAndIncrement(); i < REQUESTS; i = sent.getAndIncrement()) {
					HttpResponse<byte[]> response = http.get(paths.apply(i), headers.apply(i));
					if (response.statusCode() != 200 && response.statusCode() != 404) {
						errors.incrementAndGet();
					}
				}
			});
			clients.add(client);
			client.start();
		}
		for (Thread client : clients) {
			try {
				client.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		long keys = Long.parseLong(redis.command("DBSIZE").substring(1));
		return new Explosion(REQUESTS, errors.get(), seconds, DataSize.ofBytes(usedMemory() - baseline), keys);
	}

	private static String letters(ThreadLocalRandom random, int count) {
		StringBuilder letters = new StringBuilder(count);
		for (int i = 0; i < count; i++) {
			letters.append((char) ('a' + random.nextInt(26)));
		}
		return letters.toString();
	}

	private static String randomName(ThreadLocalRandom random) {
		return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
	}

	private static long usedMemory() {
		for (String line : redis.command("INFO", "memory").split("\r\n")) {
			if (line.startsWith("used_memory:")) {
				return Long.parseLong(line.substring("used_memory:".length()).trim());
			}
		}
		throw new IllegalStateException("No used_memory in INFO memory");
	}

	private record Explosion(int requests, int errors, double seconds, DataSize memory, long keys) {

		void print(String pattern, DataSize budget) {
			System.out.printf(
					"Key explosion %s: %d requests in %.1f s (%.0f/s), errors %d, Redis memory +%d KB "
							+ "(budget %d KB), keys %d%n",
					pattern, this.requests, this.seconds, this.requests / this.seconds, this.errors,
					this.memory.toKilobytes(), budget.toKilobytes(), this.keys);
		}

	}

	@RestController
	static class CatalogController {

		/** About a kilobyte, like a small real page. */
		private static final String FILLER = "<p>" + "lorem ipsum dolor sit amet ".repeat(36) + "</p>";

		@GetMapping("/items/{id}")
		@CachePage(tags = "'Item#' + #id")
		ResponseEntity<String> item(@PathVariable long id) {
			if (id < 1 || id > KNOWN_ITEMS) {
				return ResponseEntity.status(404).body("no item " + id);
			}
			return ResponseEntity.ok("<h1>item " + id + "</h1>" + FILLER);
		}

		@GetMapping("/search")
		@CachePage
		String search(@RequestParam String q) {
			return "<h1>results for " + q.length() + " characters</h1>" + FILLER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(CatalogController.class)
	static class ExplosionApplication {

	}

}
