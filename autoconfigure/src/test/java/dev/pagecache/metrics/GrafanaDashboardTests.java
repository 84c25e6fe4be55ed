package dev.pagecache.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.pagecache.store.PageLookup.MissReason;
import dev.pagecache.store.StatisticsListener.NotStoredReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard shipped in {@code docs/grafana}: every metric its PromQL queries
 * name, and every label they select or group by, is one that the
 * {@link PageCacheMeterBinder}'s meters have in a real {@link PrometheusMeterRegistry},
 * and every meter of the binder has a panel. Renaming a meter or a tag fails here.
 */
class GrafanaDashboardTests {

	private static final Path DASHBOARD = Path.of("../docs/grafana/pagecache-dashboard.json");

	/** Labels that Prometheus adds to every series it scrapes, not tags of a meter. */
	private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

	private static final Pattern METRIC = Pattern.compile("\\bpagecache_[a-z0-9_]+\\b");

	private static final Pattern SELECTOR = Pattern.compile("(pagecache_[a-z0-9_]+)\\{([^}]*)}");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");

	private static final Pattern LABEL_VALUES = Pattern
		.compile("label_values\\((pagecache_[a-z0-9_]+)[^,]*,\\s*(\\w+)\\)");

	private final Map<String, Set<String>> exposed = scrape();

	private final List<String> queries = queries();

	@Test
	void everyMetricTheQueriesNameIsExposedByTheBinder() {
		Set<String> named = new TreeSet<>();
		this.queries.forEach((query) -> named.addAll(all(METRIC, query, 0)));
		assertThat(named).hasSizeGreaterThanOrEqualTo(6);
		assertThat(this.exposed.keySet()).containsAll(named);
	}

	@Test
	void everyLabelTheQueriesSelectIsATagOfItsMetric() {
		for (String query : this.queries) {
			Matcher selector = SELECTOR.matcher(query);
			while (selector.find()) {
				Set<String> labels = withTargetLabels(this.exposed.get(selector.group(1)));
				assertThat(all(MATCHER, selector.group(2), 1)).as(query).isSubsetOf(labels);
			}
			Matcher labelValues = LABEL_VALUES.matcher(query);
			while (labelValues.find()) {
				assertThat(withTargetLabels(this.exposed.get(labelValues.group(1)))).as(query)
					.contains(labelValues.group(2));
			}
		}
	}

	@Test
	void everyLabelTheQueriesGroupByIsATagOfEachMetricOfTheQuery() {
		for (String query : this.queries) {
			Set<String> grouping = new TreeSet<>();
			all(GROUPING, query, 1).forEach((labels) -> grouping.addAll(List.of(labels.trim().split("\\s*,\\s*"))));
			for (String metric : all(METRIC, query, 0)) {
				assertThat(grouping).as(query).isSubsetOf(withTargetLabels(this.exposed.get(metric)));
			}
		}
	}

	@Test
	void everyMeterOfTheBinderHasAPanel() {
		String all = String.join("\n", this.queries);
		for (String meter : List.of("pagecache_requests_total", "pagecache_misses_total", "pagecache_stores_total",
				"pagecache_not_stored_total", "pagecache_render_seconds", "pagecache_invalidations_total")) {
			assertThat(this.exposed.keySet()).anyMatch((name) -> name.startsWith(meter));
			assertThat(all).contains(meter);
		}
	}

	private static Map<String, Set<String>> scrape() {
		PageCacheStatistics statistics = new PageCacheStatistics();
		statistics.register(List.of("/posts/{id}"));
		statistics.hit("/posts/{id}");
		statistics.miss("/posts/{id}", MissReason.FIRST, 1_000_000);
		statistics.notStored("/posts/{id}", NotStoredReason.COOKIE);
		statistics.invalidated(List.of("Post#1"));
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new PageCacheMeterBinder(statistics).bindTo(registry);
		Map<String, Set<String>> metrics = new TreeMap<>();
		Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? ");
		for (String line : registry.scrape().split("\n")) {
			Matcher matcher = sample.matcher(line);
			if (!line.startsWith("#") && matcher.find()) {
				Set<String> labels = metrics.computeIfAbsent(matcher.group(1), (name) -> new TreeSet<>());
				labels.addAll(all(Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\""),
						(matcher.group(2) != null) ? matcher.group(2) : "", 1));
			}
		}
		return metrics;
	}

	private static List<String> queries() {
		JsonNode dashboard;
		try {
			dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + DASHBOARD.toAbsolutePath(), ex);
		}
		List<String> queries = new ArrayList<>();
		dashboard.findValues("expr").forEach((expr) -> queries.add(expr.asString()));
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			JsonNode query = variable.path("query");
			if ("query".equals(variable.path("type").asString(""))) {
				queries.add(query.isString() ? query.asString() : query.path("query").asString());
			}
		}
		assertThat(queries).hasSizeGreaterThan(10).allMatch((query) -> !query.isBlank());
		return queries;
	}

	private static Set<String> withTargetLabels(Set<String> labels) {
		assertThat(labels).isNotNull();
		Set<String> all = new HashSet<>(labels);
		all.addAll(TARGET_LABELS);
		return all;
	}

	private static List<String> all(Pattern pattern, String text, int group) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(group));
		}
		return found;
	}

}
