package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.pagecache.jpa.blog.BlogTestApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The randomized freshness test while keys of the namespace disappear, as they do from a
 * Redis that evicts under any {@code maxmemory-policy}: every 100 ms a thread lists the
 * namespace's keys ({@code SCAN}, in this test only) and deletes some of them at random,
 * pages and every other key alike (tag indexes, invalidation records, the epoch, the
 * invalidation counter, ...). A lost key may make pages misses, never stale.
 * <p>
 * Keys are told apart by name only as far as "a page or not" (a page's key has a
 * {@code :page:} or {@code :page-sha256:} segment), so the test deletes whatever the
 * store's layout calls its keys.
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=" + KeyLossRandomizedFreshnessTests.NAMESPACE)
class KeyLossRandomizedFreshnessTests extends RandomizedFreshnessTests {

	static final String NAMESPACE = "blog-key-loss";

	private static final String PREFIX = "{" + NAMESPACE + "}:";

	private static final Pattern PAGE = Pattern.compile(":page(-sha256)?:");

	private static final long LOSS_INTERVAL_MILLIS = 100;

	/** The chance of each key other than a page to be deleted in a round. */
	private static final double OTHER_KEY_LOSS = 0.1;

	/** The chance of each page to be deleted in a round. */
	private static final double PAGE_LOSS = 0.05;

	@Autowired
	StringRedisTemplate redis;

	private final AtomicBoolean running = new AtomicBoolean();

	private final Map<String, AtomicInteger> deletedByKind = new ConcurrentHashMap<>();

	private Thread loser;

	@BeforeEach
	void startLosingKeys() {
		long seed = Long.getLong("pagecache.test.seed", System.nanoTime());
		this.running.set(true);
		this.loser = new Thread(() -> loseKeys(new Random(seed)), "key-loser");
		this.loser.start();
	}

	@AfterEach
	void stopLosingKeysAndCheckWhatWasLost() throws InterruptedException {
		this.running.set(false);
		this.loser.join();
		Map<String, Integer> deleted = new TreeMap<>();
		this.deletedByKind.forEach((kind, count) -> deleted.put(kind, count.get()));
		System.out.println("KeyLossRandomizedFreshnessTests: keys deleted by kind " + deleted);
		assertThat(deleted).as("pages deleted").containsKey("page");
		assertThat(deleted.keySet().stream().filter((kind) -> !kind.equals("page"))).as("kinds of other keys deleted")
			.hasSizeGreaterThanOrEqualTo(3);
	}

	private void loseKeys(Random random) {
		while (this.running.get()) {
			try {
				Thread.sleep(LOSS_INTERVAL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			for (String key : namespaceKeys()) {
				boolean page = PAGE.matcher(key).find();
				if (random.nextDouble() < (page ? PAGE_LOSS : OTHER_KEY_LOSS) && this.redis.delete(key)) {
					this.deletedByKind.computeIfAbsent(page ? "page" : kind(key), (kind) -> new AtomicInteger())
						.incrementAndGet();
				}
			}
		}
	}

	private List<String> namespaceKeys() {
		List<String> keys = new ArrayList<>();
		ScanOptions options = ScanOptions.scanOptions().match(PREFIX + "*").count(1000).build();
		try (Cursor<String> cursor = this.redis.scan(options)) {
			cursor.forEachRemaining(keys::add);
		}
		return keys;
	}

	/**
	 * The first segment of a key's name after the namespace: {@code tag}, {@code epoch}.
	 */
	private static String kind(String key) {
		String name = key.substring(PREFIX.length());
		int colon = name.indexOf(':');
		return (colon < 0) ? name : name.substring(0, colon);
	}

}
