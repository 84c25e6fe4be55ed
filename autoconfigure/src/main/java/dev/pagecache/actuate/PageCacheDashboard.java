package dev.pagecache.actuate;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.pagecache.actuate.PageCacheEndpoint.StatisticsDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.InvalidationsDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.MissesDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageCacheDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TotalsDescriptor;

import org.springframework.web.util.HtmlUtils;

/**
 * The endpoint's figures as one self-contained HTML page, rendered here with inline CSS
 * and no script: per page a bar of its hit ratio and a bar of how its misses split by
 * reason, plus totals, for this instance and for the fleet.
 * <p>
 * Stable hooks for tests and styling: {@code #pagecache-dashboard} (with
 * {@code data-store} and {@code data-state}), the sections {@code #pc-instance} and
 * {@code #pc-fleet}, {@code .pc-totals} with {@code data-hits}, {@code data-misses} and
 * {@code data-hit-ratio}, one {@code tr.pc-page} per page with {@code data-page} and
 * {@code data-hit-ratio}, {@code .pc-hit-ratio} (the ratio as text, such as
 * {@code 83.3%}), {@code .pc-bar-hit}, {@code .pc-miss-first},
 * {@code .pc-miss-invalidated}, {@code .pc-miss-expired}, {@code .pc-miss-evicted} (each
 * with {@code data-count}), and {@code tr.pc-invalidation} with {@code data-type}.
 *
 * @author pagecache
 */
final class PageCacheDashboard {

	private static final String CSS = """
			body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
			main{max-width:1200px;margin:0 auto;padding:24px}
			h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}h3{font-size:14px;margin:18px 0 6px}
			.pc-store{color:#555;margin:0 0 8px}
			.pc-state{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px}
			.pc-state-up{background:#d9f2e1;color:#17693a}.pc-state-down{background:#fbdcdc;color:#9b1c1c}
			.pc-totals{display:flex;flex-wrap:wrap;gap:10px;margin:0;padding:0}
			.pc-total{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:8px 14px;min-width:110px}
			.pc-total dt{font-size:12px;color:#667}.pc-total dd{margin:0;font-size:20px;font-weight:600}
			table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e1e4ea;border-radius:8px}
			th,td{padding:7px 10px;text-align:left;border-bottom:1px solid #eef0f3;vertical-align:middle}
			th{font-size:12px;color:#667;font-weight:600}td.pc-num,th.pc-num{text-align:right;font-variant-numeric:tabular-nums}
			.pc-bar{display:flex;width:180px;height:12px;border-radius:6px;overflow:hidden;background:#e8eaee}
			.pc-bar span{display:block;height:100%}
			.pc-bar-hit{background:#2f9e5b}
			.pc-miss-first{background:#9aa3b2}.pc-miss-invalidated{background:#e8912d}
			.pc-miss-expired{background:#3b7dd8}.pc-miss-evicted{background:#c8372d}
			.pc-ratio{display:flex;align-items:center;gap:8px}.pc-hit-ratio{font-weight:600;min-width:52px}
			.pc-split-legend{font-size:12px;color:#667;margin-top:3px}
			.pc-legend{display:flex;gap:14px;font-size:12px;color:#555;margin:8px 0}
			.pc-legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
			code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
			.pc-empty{color:#888;font-style:italic}
			""";

	private PageCacheDashboard() {
	}

	/**
	 * Render the figures.
	 * @param descriptor the endpoint's figures
	 * @return the HTML document
	 */
	static String render(PageCacheDescriptor descriptor) {
		StringBuilder html = new StringBuilder(8192);
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
			.append("<title>pagecache</title><style>")
			.append(CSS)
			.append("</style></head><body>\n");
		html.append("<main id=\"pagecache-dashboard\" data-store=\"")
			.append(escape(descriptor.store()))
			.append("\" data-state=\"")
			.append(escape(descriptor.state()))
			.append("\">\n<h1>pagecache</h1>\n");
		html.append("<p class=\"pc-store\">Store <b>")
			.append(escape(descriptor.store()))
			.append("</b> <span class=\"pc-state pc-state-")
			.append(escape(descriptor.state().toLowerCase(Locale.ROOT)))
			.append("\">")
			.append(escape(descriptor.state()))
			.append("</span></p>\n");
		legend(html);
		section(html, "pc-instance", "This instance", descriptor.totals(), descriptor.pages(),
				descriptor.invalidationsByType());
		StatisticsDescriptor fleet = descriptor.fleet();
		if (fleet != null) {
			section(html, "pc-fleet", "All instances sharing the store", fleet.totals(), fleet.pages(),
					fleet.invalidationsByType());
		}
		html.append("</main>\n</body></html>\n");
		return html.toString();
	}

	private static void legend(StringBuilder html) {
		html.append("<div class=\"pc-legend\">");
		legendItem(html, "pc-bar-hit", "hit");
		legendItem(html, "pc-miss-first", "first render");
		legendItem(html, "pc-miss-invalidated", "invalidated");
		legendItem(html, "pc-miss-expired", "expired");
		legendItem(html, "pc-miss-evicted", "evicted");
		html.append("</div>\n");
	}

	private static void legendItem(StringBuilder html, String cssClass, String label) {
		html.append("<span><i class=\"").append(cssClass).append("\"></i>").append(label).append("</span>");
	}

	private static void section(StringBuilder html, String id, String title, TotalsDescriptor totals,
			List<PageDescriptor> pages, List<InvalidationsDescriptor> invalidations) {
		html.append("<section id=\"")
			.append(id)
			.append("\" class=\"pc-figures\">\n<h2>")
			.append(title)
			.append("</h2>\n");
		totals(html, totals);
		html.append("<h3>Pages</h3>\n");
		if (pages.isEmpty()) {
			html.append("<p class=\"pc-empty\">No cached page has been requested yet.</p>\n");
		}
		else {
			pages(html, pages);
		}
		html.append("<h3>Invalidations by entity type</h3>\n");
		if (invalidations.isEmpty()) {
			html.append("<p class=\"pc-empty\">No invalidation yet.</p>\n");
		}
		else {
			invalidations(html, invalidations);
		}
		html.append("</section>\n");
	}

	private static void totals(StringBuilder html, TotalsDescriptor totals) {
		html.append("<dl class=\"pc-totals\" data-hits=\"")
			.append(totals.hits())
			.append("\" data-misses=\"")
			.append(totals.misses())
			.append("\" data-hit-ratio=\"")
			.append(totals.hitRatio())
			.append("\">");
		total(html, "Hit ratio", percent(totals.hitRatio()));
		total(html, "Hits", Long.toString(totals.hits()));
		total(html, "Misses", Long.toString(totals.misses()));
		total(html, "Stored", Long.toString(totals.stores()));
		total(html, "Invalidations", Long.toString(totals.invalidations()));
		total(html, "Entries", count(totals.entries()));
		total(html, "Bypassed", Long.toString(totals.bypasses()));
		total(html, "Render time saved", duration(totals.savedRenderMillis()));
		html.append("</dl>\n");
	}

	private static void total(StringBuilder html, String label, String value) {
		html.append("<div class=\"pc-total\"><dt>")
			.append(label)
			.append("</dt><dd>")
			.append(escape(value))
			.append("</dd></div>");
	}

	private static void pages(StringBuilder html, List<PageDescriptor> pages) {
		html.append("<table class=\"pc-pages\"><thead><tr><th>Page</th><th>Hit ratio</th><th>Misses by reason</th>")
			.append("<th class=\"pc-num\">Hits</th><th class=\"pc-num\">Misses</th>")
			.append("<th class=\"pc-num\">Average render</th><th class=\"pc-num\">Render time saved</th>")
			.append("<th class=\"pc-num\">Entries</th></tr></thead>\n<tbody>\n");
		for (PageDescriptor page : pages) {
			html.append("<tr class=\"pc-page\" data-page=\"")
				.append(escape(page.page()))
				.append("\" data-hit-ratio=\"")
				.append(page.hitRatio())
				.append("\">");
			html.append("<td class=\"pc-page-name\"><code>").append(escape(page.page())).append("</code></td>");
			html.append("<td><div class=\"pc-ratio\"><div class=\"pc-bar\" role=\"img\" aria-label=\"hit ratio ")
				.append(percent(page.hitRatio()))
				.append("\"><span class=\"pc-bar-hit\" style=\"width:")
				.append(width(page.hitRatio()))
				.append("%\"></span></div><span class=\"pc-hit-ratio\">")
				.append(percent(page.hitRatio()))
				.append("</span></div></td>");
			html.append("<td>");
			split(html, page.missesByReason(), page.misses());
			html.append("</td>");
			html.append("<td class=\"pc-num pc-hits\">").append(page.hits()).append("</td>");
			html.append("<td class=\"pc-num pc-misses\">").append(page.misses()).append("</td>");
			html.append("<td class=\"pc-num\">").append(duration(page.averageRenderMillis())).append("</td>");
			html.append("<td class=\"pc-num\">").append(duration(page.savedRenderMillis())).append("</td>");
			html.append("<td class=\"pc-num pc-entries\">").append(count(page.entries())).append("</td>");
			html.append("</tr>\n");
		}
		html.append("</tbody></table>\n");
	}

	private static void split(StringBuilder html, MissesDescriptor misses, long total) {
		html.append("<div class=\"pc-bar pc-split\" role=\"img\" aria-label=\"misses: ")
			.append(misses.first())
			.append(" first, ")
			.append(misses.invalidated())
			.append(" invalidated, ")
			.append(misses.expired())
			.append(" expired, ")
			.append(misses.evicted())
			.append(" evicted\">");
		segment(html, "pc-miss-first", "first render", misses.first(), total);
		segment(html, "pc-miss-invalidated", "invalidated", misses.invalidated(), total);
		segment(html, "pc-miss-expired", "expired", misses.expired(), total);
		segment(html, "pc-miss-evicted", "evicted", misses.evicted(), total);
		html.append("</div><div class=\"pc-split-legend\">")
			.append(misses.first())
			.append(" first &middot; ")
			.append(misses.invalidated())
			.append(" invalidated &middot; ")
			.append(misses.expired())
			.append(" expired &middot; ")
			.append(misses.evicted())
			.append(" evicted</div>");
	}

	private static void segment(StringBuilder html, String cssClass, String label, long count, long total) {
		html.append("<span class=\"")
			.append(cssClass)
			.append("\" data-count=\"")
			.append(count)
			.append("\" title=\"")
			.append(label)
			.append(": ")
			.append(count)
			.append("\" style=\"width:")
			.append(width((total != 0) ? (double) count / total : 0))
			.append("%\"></span>");
	}

	private static void invalidations(StringBuilder html, List<InvalidationsDescriptor> invalidations) {
		html.append("<table class=\"pc-invalidations\"><thead><tr><th>Entity type</th>")
			.append("<th class=\"pc-num\">Invalidations</th></tr></thead>\n<tbody>\n");
		for (InvalidationsDescriptor invalidation : invalidations) {
			html.append("<tr class=\"pc-invalidation\" data-type=\"")
				.append(escape(invalidation.type()))
				.append("\"><td><code>")
				.append(escape(invalidation.type()))
				.append("</code></td><td class=\"pc-num\">")
				.append(invalidation.invalidations())
				.append("</td></tr>\n");
		}
		html.append("</tbody></table>\n");
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

	private static String count(@Nullable Long count) {
		return (count != null) ? count.toString() : "?";
	}

	private static String escape(String text) {
		return HtmlUtils.htmlEscape(text, "UTF-8");
	}

}
