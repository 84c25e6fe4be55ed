package dev.pagecache.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.pagecache.store.PageStore.HotList;
import dev.pagecache.store.PageStore.HotPage;

/**
 * The hot list of an {@link InMemoryPageStore}, kept as the Redis store's {@code hot.lua}
 * keeps it: scores decay at most once a second by {@code 2^(-elapsed / half-life)},
 * scores under one half are dropped, and only the hottest pages are kept. It lives as
 * long as the process, so a restarted instance has nothing to warm.
 *
 * @author pagecache
 */
final class InMemoryHotPages {

	/** The shortest time between two decays, as in {@code hot.lua}. */
	private static final long DECAY_STEP_MILLIS = 1000;

	/** Scores under this are dropped, as in {@code hot.lua}. */
	private static final double LOWEST_SCORE = 0.5;

	private static final Comparator<HotPage> BEST_FIRST = Comparator.comparingDouble(HotPage::requests)
		.thenComparing(HotPage::key)
		.reversed();

	private final Clock clock;

	private final Map<String, Double> scores = new HashMap<>();

	private HotList settings = HotList.DEFAULT;

	/** When the scores last decayed; -1 before the first requests. */
	private long decayedAt = -1;

	InMemoryHotPages(Clock clock) {
		this.clock = clock;
	}

	synchronized void setSettings(HotList settings) {
		this.settings = settings;
	}

	synchronized HotList getSettings() {
		return this.settings;
	}

	synchronized void add(Map<String, Long> requests) {
		decay();
		requests.forEach((key, count) -> {
			if (count > 0) {
				this.scores.merge(key, (double) count, Double::sum);
			}
		});
		this.scores.values().removeIf((score) -> score < LOWEST_SCORE);
		int excess = this.scores.size() - this.settings.maxPages();
		if (excess > 0) {
			pages().stream()
				.sorted(BEST_FIRST.reversed())
				.limit(excess)
				.forEach((coldest) -> this.scores.remove(coldest.key()));
		}
	}

	private void decay() {
		long now = this.clock.millis();
		if (this.decayedAt < 0) {
			this.decayedAt = now;
			return;
		}
		long elapsed = now - this.decayedAt;
		if (elapsed >= DECAY_STEP_MILLIS) {
			double factor = Math.pow(2, -(double) elapsed / this.settings.halfLife().toMillis());
			this.scores.replaceAll((key, score) -> score * factor);
			this.decayedAt = now;
		}
	}

	synchronized List<HotPage> hottest(int limit, double minRequests) {
		return pages().stream()
			.filter((page) -> page.requests() >= minRequests)
			.sorted(BEST_FIRST)
			.limit(Math.max(0, limit))
			.toList();
	}

	/**
	 * The hot pages among some keys, best first, as the settings bound them.
	 */
	synchronized List<HotPage> hotAmong(Collection<String> keys) {
		List<HotPage> hot = new ArrayList<>();
		for (String key : keys) {
			Double score = this.scores.get(key);
			if (score != null && score >= this.settings.minRequests()) {
				hot.add(new HotPage(key, score));
			}
		}
		hot.sort(BEST_FIRST);
		return List.copyOf(hot.subList(0, Math.min(hot.size(), this.settings.maxPerInvalidation())));
	}

	private List<HotPage> pages() {
		List<HotPage> pages = new ArrayList<>(this.scores.size());
		this.scores.forEach((key, score) -> pages.add(new HotPage(key, score)));
		return pages;
	}

}
