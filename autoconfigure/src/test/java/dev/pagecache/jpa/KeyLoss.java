package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Deletes keys of a namespace at random, as a Redis that evicts under any
 * {@code maxmemory-policy} does: each round lists the namespace's keys ({@code SCAN}, in
 * tests only) and deletes two keys other than pages (tag indexes, invalidation records,
 * the epoch, the invalidation counter, the near caches' registrations and
 * acknowledgements, ...); every fifth round a page too, and every hundredth round one key
 * of each kind.
 * <p>
 * Keys are told apart by name only as far as "a page or not" (a page's name, after the
 * namespace, begins with {@code page:} or {@code page-sha256:}) and by the first segment
 * of their name (their kind), so that whatever the store's layout calls its keys is
 * deleted.
 */
final class KeyLoss {

	/** The kinds of keys that are pages. */
	static final Set<String> PAGE_KINDS = Set.of("page", "page-sha256");

	/** How many keys other than pages a round deletes. */
	private static final int OTHERS_PER_ROUND = 2;

	/** Every so many rounds, a page is lost. */
	private static final int ROUNDS_PER_PAGE = 5;

	/**
	 * Every so many rounds, one key of each kind goes too, so that the kinds of which
	 * there are only one or a few keys (the epoch, the counter) are lost a few times in a
	 * run.
	 */
	private static final int ROUNDS_PER_EACH_KIND = 100;

	private final AtomicInteger rounds = new AtomicInteger();

	private final StringRedisTemplate redis;

	private final String prefix;

	private final Random random;

	private final Map<String, AtomicInteger> deleted = new ConcurrentHashMap<>();

	/**
	 * Create a key loss.
	 * @param redis the server's template
	 * @param namespace the namespace whose keys are lost
	 * @param random the source of the choices
	 */
	KeyLoss(StringRedisTemplate redis, String namespace, Random random) {
		this.redis = redis;
		this.prefix = "{" + namespace + "}:";
		this.random = random;
	}

	/** Run one round of losses. */
	void round() {
		List<String> pages = new ArrayList<>();
		List<String> others = new ArrayList<>();
		for (String key : namespaceKeys()) {
			(PAGE_KINDS.contains(kind(key)) ? pages : others).add(key);
		}
		int round = this.rounds.incrementAndGet();
		if (round % ROUNDS_PER_PAGE == 0) {
			delete(pages, 1);
		}
		delete(others, OTHERS_PER_ROUND);
		if (round % ROUNDS_PER_EACH_KIND == 0) {
			deleteOneOfEachKind(others);
		}
	}

	/** The rounds run so far. */
	int rounds() {
		return this.rounds.get();
	}

	/** The keys deleted so far, counted by kind. */
	Map<String, Integer> deletedByKind() {
		Map<String, Integer> deleted = new TreeMap<>();
		this.deleted.forEach((kind, count) -> deleted.put(kind, count.get()));
		return deleted;
	}

	private List<String> namespaceKeys() {
		List<String> keys = new ArrayList<>();
		ScanOptions options = ScanOptions.scanOptions().match(this.prefix + "*").count(1000).build();
		try (Cursor<String> cursor = this.redis.scan(options)) {
			cursor.forEachRemaining(keys::add);
		}
		return keys;
	}

	private void delete(List<String> keys, int count) {
		for (int i = 0; i < count && !keys.isEmpty(); i++) {
			delete(keys.remove(this.random.nextInt(keys.size())));
		}
	}

	private void deleteOneOfEachKind(List<String> keys) {
		Map<String, List<String>> byKind = new TreeMap<>();
		for (String key : keys) {
			byKind.computeIfAbsent(kind(key), (kind) -> new ArrayList<>()).add(key);
		}
		byKind.values().forEach((ofKind) -> delete(ofKind.get(this.random.nextInt(ofKind.size()))));
	}

	private void delete(String key) {
		if (Boolean.TRUE.equals(this.redis.delete(key))) {
			this.deleted.computeIfAbsent(kind(key), (kind) -> new AtomicInteger()).incrementAndGet();
		}
	}

	/**
	 * The first segment of a key's name after the namespace: {@code page}, {@code tag},
	 * {@code epoch}, {@code near-cache}.
	 */
	private String kind(String key) {
		String name = key.substring(this.prefix.length());
		int colon = name.indexOf(':');
		return (colon < 0) ? name : name.substring(0, colon);
	}

}
