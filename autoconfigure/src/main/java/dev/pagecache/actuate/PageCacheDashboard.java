package dev.pagecache.actuate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.pagecache.actuate.HtmlTemplate.Html;
import dev.pagecache.actuate.PageCacheEndpoint.InvalidationsDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.MissesDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageCacheDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.StatisticsDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TotalsDescriptor;
import dev.pagecache.actuate.StatisticsHistory.HistoryPoint;

import org.springframework.boot.actuate.endpoint.SecurityContext;

/**
 * The endpoint's statistics as one self-contained HTML page for an operator to keep open:
 * the last hour as a chart ({@link HistoryChart}), per page a bar of its hit ratio and a
 * bar of how its misses split by reason, totals, for this instance and for the fleet. A
 * small script without dependencies ({@code dashboard/dashboard.js}, inlined) refreshes
 * the figures every few seconds without reloading, lists the pages of a pattern with
 * their tags, finds the pages that show an entity, and purges, with buttons shown only
 * when the endpoint allows writes and the reader may purge. The markup is in the
 * templates of {@code dashboard/} next to this class; this class only formats the values.
 * <p>
 * Stable hooks for tests and styling: {@code #pagecache-dashboard} (with
 * {@code data-store}, {@code data-state} and {@code data-purge}), {@code #pc-live} (what
 * a refresh replaces), {@code #pc-history} with one {@code svg.pc-chart} per section, the
 * sections {@code #pc-instance} and {@code #pc-fleet}, {@code .pc-totals} with
 * {@code data-hits}, {@code data-misses}, {@code data-hit-ratio} and
 * {@code data-saved-render-millis}, one {@code tr.pc-page} per page with
 * {@code data-page} and {@code data-hit-ratio}, {@code button.pc-drill} (its pages),
 * {@code .pc-hit-ratio} (the ratio as text, such as {@code 83.3%}), {@code .pc-entries}
 * (a number, after {@code about} when it is estimated), {@code .pc-bar-hit},
 * {@code .pc-miss-first}, {@code .pc-miss-invalidated}, {@code .pc-miss-expired},
 * {@code .pc-miss-evicted} (each with {@code data-count}), {@code td.pc-not-stored} (with
 * {@code data-count}) holding one {@code .pc-not-stored-reason} per reason a render was
 * not stored (with {@code data-reason}, such as {@code cookie}, and {@code data-count}),
 * {@code tr.pc-invalidation} with {@code data-type}, {@code .pc-invalidations-note} when
 * invalidations by type do not add up to the total, {@code #pc-search} and
 * {@code #pc-search-result}, {@code #pc-drilldown}, and {@code button.pc-purge} with
 * {@code data-kind} and {@code data-name}.
 *
 * @author pagecache
 */
final class PageCacheDashboard {

	private static final HtmlTemplate DOCUMENT = HtmlTemplate.load("dashboard/dashboard.html");

	private static final HtmlTemplate SECTION = HtmlTemplate.load("dashboard/section.html");

	private static final HtmlTemplate PAGES = HtmlTemplate.load("dashboard/pages.html");

	private static final HtmlTemplate PAGE = HtmlTemplate.load("dashboard/page.html");

	private static final HtmlTemplate INVALIDATIONS = HtmlTemplate.load("dashboard/invalidations.html");

	private static final HtmlTemplate INVALIDATION = HtmlTemplate.load("dashboard/invalidation.html");

	private static final HtmlTemplate NOT_STORED_REASON = HtmlTemplate.load("dashboard/not-stored-reason.html");

	private static final HtmlTemplate EMPTY = HtmlTemplate.load("dashboard/empty.html");

	private static final HtmlTemplate INVALIDATIONS_NOTE = HtmlTemplate.load("dashboard/invalidations-note.html");

	private static final HtmlTemplate HISTORY = HtmlTemplate.load("dashboard/history.html");

	private static final HtmlTemplate CHART = HtmlTemplate.load("dashboard/chart.html");

	private static final HtmlTemplate PURGE_ALL = HtmlTemplate.load("dashboard/purge-all.html");

	private static final Html SCRIPT = HtmlTemplate.resource("dashboard/dashboard.js");

	private final @Nullable StatisticsHistory history;

	private final boolean writable;

	private final Set<String> purgeRoles;

	private final Clock clock;

	/**
	 * Create a dashboard.
	 * @param history the last hour, or {@code null} if not sampled
	 * @param writable whether the endpoint allows purges
	 * @param purgeRoles the roles that see purge buttons, any authenticated reader if
	 * none
	 */
	PageCacheDashboard(@Nullable StatisticsHistory history, boolean writable, Set<String> purgeRoles) {
		this(history, writable, purgeRoles, Clock.systemUTC());
	}

	PageCacheDashboard(@Nullable StatisticsHistory history, boolean writable, Set<String> purgeRoles, Clock clock) {
		this.history = history;
		this.writable = writable;
		this.purgeRoles = Set.copyOf(purgeRoles);
		this.clock = clock;
	}

	/**
	 * Whether a reader sees purge buttons: the endpoint allows purges and the reader is
	 * authenticated, in one of the purge roles if there are any. The application's
	 * security rules still decide whether a purge is accepted.
	 * @param securityContext the reader
	 * @return {@code true} to show purge buttons
	 */
	boolean showsPurges(SecurityContext securityContext) {
		if (!this.writable || securityContext.getPrincipal() == null) {
			return false;
		}
		return this.purgeRoles.isEmpty() || this.purgeRoles.stream().anyMatch(securityContext::isUserInRole);
	}

	/**
	 * Render the statistics.
	 * @param descriptor the endpoint's statistics
	 * @param securityContext who reads them
	 * @return the HTML document
	 */
	String render(PageCacheDescriptor descriptor, SecurityContext securityContext) {
		List<Html> sections = new ArrayList<>();
		sections.add(section("pc-instance", "This instance",
				new StatisticsDescriptor(descriptor.totals(), descriptor.pages(), descriptor.invalidationsByType())));
		StatisticsDescriptor fleet = descriptor.fleet();
		if (fleet != null) {
			sections.add(section("pc-fleet", "All instances sharing the store", fleet));
		}
		boolean purges = showsPurges(securityContext);
		Map<String, Object> values = new HashMap<>();
		values.put("store", descriptor.store());
		values.put("state", descriptor.state());
		values.put("stateClass", descriptor.state().toLowerCase(Locale.ROOT));
		values.put("purge", purges);
		values.put("reader", EndpointReader.of(securityContext).seesKeys() ? "authenticated" : "anonymous");
		values.put("purgeAll", purges ? PURGE_ALL.render(Map.of()) : new Html(""));
		values.put("history", history(fleet != null));
		values.put("sections", Html.join(sections));
		values.put("script", SCRIPT);
		return DOCUMENT.render(values).markup();
	}

	private Html history(boolean withFleet) {
		StatisticsHistory history = this.history;
		if (history == null) {
			return new Html("");
		}
		long now = this.clock.millis();
		List<Html> charts = new ArrayList<>();
		charts.add(chart("pc-chart-instance", "This instance", history.instance(), history, now));
		if (withFleet) {
			charts.add(chart("pc-chart-fleet", "All instances sharing the store", history.fleet(), history, now));
		}
		return HISTORY.render(Map.of("charts", Html.join(charts)));
	}

	private static Html chart(String id, String title, List<HistoryPoint> points, StatisticsHistory history, long now) {
		String note = points.isEmpty()
				? "The first figures arrive " + duration(history.interval().toMillis()) + " after start-up." : "";
		return CHART.render(Map.of("id", id, "title", title, "svg",
				HistoryChart.render(points, history.interval(), now), "note", note));
	}

	private static Html section(String id, String title, StatisticsDescriptor statistics) {
		TotalsDescriptor totals = statistics.totals();
		Map<String, Object> values = new HashMap<>();
		values.put("id", id);
		values.put("title", title);
		values.put("hits", totals.hits());
		values.put("misses", totals.misses());
		values.put("hitRatio", totals.hitRatio());
		values.put("hitRatioPercent", percent(totals.hitRatio()));
		values.put("stores", totals.stores());
		values.put("notStored", totals.notStored());
		values.put("invalidations", totals.invalidations());
		values.put("entries", count(totals.entries(), totals.entriesEstimated()));
		values.put("bypasses", totals.bypasses());
		values.put("savedRender", duration(totals.savedRenderMillis()));
		values.put("savedRenderMillis", totals.savedRenderMillis());
		values.put("pageTable", pageTable(statistics.pages()));
		values.put("invalidationTable", invalidationTable(statistics.invalidationsByType()));
		values.put("invalidationNote", invalidationNote(totals.invalidations(), statistics.invalidationsByType()));
		return SECTION.render(values);
	}

	/**
	 * Why invalidations by type need not add up to the total: one invalidation counts
	 * once under each type it concerns.
	 */
	private static Html invalidationNote(long total, List<InvalidationsDescriptor> byType) {
		long sum = byType.stream().mapToLong(InvalidationsDescriptor::invalidations).sum();
		if (sum == total) {
			return new Html("");
		}
		return INVALIDATIONS_NOTE.render(Map.of("sum", sum, "total", total));
	}

	private static Html pageTable(List<PageDescriptor> pages) {
		if (pages.isEmpty()) {
			return empty("No cached page has been requested yet.");
		}
		return PAGES.render(Map.of("rows", Html.join(pages.stream().map(PageCacheDashboard::page).toList())));
	}

	private static Html invalidationTable(List<InvalidationsDescriptor> invalidations) {
		if (invalidations.isEmpty()) {
			return empty("No invalidation yet.");
		}
		return INVALIDATIONS
			.render(Map.of("rows", Html.join(invalidations.stream().map(PageCacheDashboard::invalidation).toList())));
	}

	private static Html page(PageDescriptor page) {
		Map<String, Object> values = new HashMap<>();
		values.put("page", page.page());
		values.put("hitRatio", page.hitRatio());
		values.put("hitRatioPercent", percent(page.hitRatio()));
		values.put("hitWidth", width(page.hitRatio()));
		values.put("hits", page.hits());
		values.put("misses", page.misses());
		values.put("notStored", page.notStored());
		values.put("notStoredReasons", notStoredReasons(page.notStoredByReason()));
		values.put("averageRender", duration(page.averageRenderMillis()));
		values.put("savedRender", duration(page.savedRenderMillis()));
		values.put("entries", count(page.entries(), page.entriesEstimated()));
		MissesDescriptor misses = page.missesByReason();
		putMisses(values, "first", misses.first(), page.misses());
		putMisses(values, "invalidated", misses.invalidated(), page.misses());
		putMisses(values, "expired", misses.expired(), page.misses());
		putMisses(values, "evicted", misses.evicted(), page.misses());
		return PAGE.render(values);
	}

	private static Html notStoredReasons(Map<String, Long> byReason) {
		List<Html> reasons = new ArrayList<>();
		byReason.forEach((reason, count) -> reasons
			.add(NOT_STORED_REASON.render(Map.of("reason", reason, "count", count, "label", label(reason)))));
		return Html.join(reasons);
	}

	/**
	 * A reason's name as words: {@code unkeyedInput} as {@code unkeyed input}.
	 */
	private static String label(String reason) {
		StringBuilder label = new StringBuilder();
		for (char c : reason.toCharArray()) {
			if (Character.isUpperCase(c)) {
				label.append(' ').append(Character.toLowerCase(c));
			}
			else {
				label.append(c);
			}
		}
		return label.toString();
	}

	private static void putMisses(Map<String, Object> values, String reason, long count, long total) {
		values.put(reason, count);
		values.put(reason + "Width", width((total != 0) ? (double) count / total : 0));
	}

	private static Html invalidation(InvalidationsDescriptor invalidation) {
		return INVALIDATION.render(Map.of("type", invalidation.type(), "invalidations", invalidation.invalidations()));
	}

	private static Html empty(String message) {
		return EMPTY.render(Map.of("message", message));
	}

	private static String percent(double ratio) {
		return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
	}

	private static String width(double ratio) {
		return String.format(Locale.ROOT, "%.2f", Math.max(0, Math.min(1, ratio)) * 100);
	}

	private static String duration(double millis) {
		if (millis >= 60_000) {
			return String.format(Locale.ROOT, "%.1f min", millis / 60_000);
		}
		if (millis >= 1_000) {
			return String.format(Locale.ROOT, "%.2f s", millis / 1_000);
		}
		return String.format(Locale.ROOT, "%.1f ms", millis);
	}

	private static String count(@Nullable Long count, boolean estimated) {
		if (count == null) {
			return "?";
		}
		return (estimated ? "about " : "") + count;
	}

}
