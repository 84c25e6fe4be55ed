package dev.pagecache.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.pagecache.actuate.HtmlTemplate.Html;
import dev.pagecache.actuate.StatisticsHistory.HistoryPoint;

/**
 * The last hour as an inline SVG chart: per sample interval a bar of the requests (hits,
 * misses and bypasses stacked) on the left scale, and the hit ratio as a line on the
 * right scale (0 to 100%). While the history is younger than an hour, the time axis spans
 * only its age (rounded up to 5 minutes), so that its bars can be told apart. Only
 * numbers go into the markup.
 * <p>
 * Hooks: {@code svg.pc-chart} with {@code data-points} (the number of intervals shown)
 * and {@code data-requests} (their requests), {@code rect.pc-chart-hits},
 * {@code rect.pc-chart-misses}, {@code rect.pc-chart-bypasses} and
 * {@code polyline.pc-chart-ratio}.
 *
 * @author pagecache
 */
final class HistoryChart {

	private static final int WIDTH = 960;

	private static final int HEIGHT = 190;

	private static final int LEFT = 56;

	private static final int RIGHT = 912;

	private static final int TOP = 12;

	private static final int BOTTOM = 160;

	private static final long MAX_SPAN_MINUTES = StatisticsHistory.SPAN.toMinutes();

	private static final int[] LABEL_STEPS_MINUTES = { 1, 2, 5, 10, 15 };

	private HistoryChart() {
	}

	/**
	 * Draw points.
	 * @param points the points, oldest first
	 * @param interval the time between samples
	 * @param now the right edge, in epoch milliseconds
	 * @return the SVG element
	 */
	static Html render(List<HistoryPoint> points, Duration interval, long now) {
		long max = 1;
		long requests = 0;
		for (HistoryPoint point : points) {
			max = Math.max(max, point.requests());
			requests += point.requests();
		}
		long spanMinutes = spanMinutes(points, interval, now);
		StringBuilder svg = new StringBuilder(8192);
		svg.append(format("<svg class=\"pc-chart\" data-points=\"%d\" data-requests=\"%d\" data-span-minutes=\"%d\""
				+ " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"requests and hit ratio over the last %d minutes\">",
				points.size(), requests, spanMinutes, WIDTH, HEIGHT, spanMinutes));
		axes(svg, max, interval, spanMinutes);
		long spanMillis = spanMinutes * 60_000;
		double barWidth = Math.max(1, (double) interval.toMillis() / spanMillis * (RIGHT - LEFT) - 1);
		List<String> ratio = new ArrayList<>();
		for (HistoryPoint point : points) {
			double x = RIGHT - (double) (now - point.time()) / spanMillis * (RIGHT - LEFT);
			if (x - barWidth < LEFT) {
				continue;
			}
			double bottom = bar(svg, "pc-chart-hits", x - barWidth, BOTTOM, barWidth, point.hits(), max);
			bottom = bar(svg, "pc-chart-misses", x - barWidth, bottom, barWidth, point.misses(), max);
			bar(svg, "pc-chart-bypasses", x - barWidth, bottom, barWidth, point.bypasses(), max);
			if (point.hitRatio() >= 0) {
				ratio.add(format("%.1f,%.1f", x - barWidth / 2, BOTTOM - point.hitRatio() * (BOTTOM - TOP)));
			}
		}
		svg.append(format("<polyline class=\"pc-chart-ratio\" fill=\"none\" points=\"%s\"/>", String.join(" ", ratio)));
		if (ratio.size() == 1) {
			String[] xy = ratio.get(0).split(",");
			svg.append(format("<circle class=\"pc-chart-ratio-point\" cx=\"%s\" cy=\"%s\" r=\"3\"/>", xy[0], xy[1]));
		}
		svg.append("</svg>");
		return new Html(svg.toString());
	}

	/**
	 * The minutes the time axis spans: the history's age rounded up to 5 minutes, from 5
	 * to 60.
	 */
	private static long spanMinutes(List<HistoryPoint> points, Duration interval, long now) {
		if (points.isEmpty()) {
			return 5;
		}
		long age = now - points.get(0).time() + interval.toMillis();
		long minutes = (age + 5 * 60_000 - 1) / (5 * 60_000) * 5;
		return Math.max(5, Math.min(MAX_SPAN_MINUTES, minutes));
	}

	private static void axes(StringBuilder svg, long max, Duration interval, long spanMinutes) {
		svg.append(format("<line class=\"pc-chart-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, BOTTOM,
				RIGHT, BOTTOM));
		svg.append(format("<line class=\"pc-chart-grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", LEFT, TOP, RIGHT,
				TOP));
		svg.append(format("<text class=\"pc-chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>", LEFT - 6,
				TOP + 4, max));
		svg.append(format("<text class=\"pc-chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>", LEFT - 6,
				BOTTOM + 4));
		svg.append(format("<text class=\"pc-chart-label\" x=\"%d\" y=\"%d\">100%%</text>", RIGHT + 6, TOP + 4));
		svg.append(format("<text class=\"pc-chart-label\" x=\"%d\" y=\"%d\">0%%</text>", RIGHT + 6, BOTTOM + 4));
		svg.append(format("<text class=\"pc-chart-label\" x=\"%d\" y=\"%d\">requests per %s</text>", LEFT + 6, TOP + 14,
				duration(interval)));
		long step = labelStep(spanMinutes);
		for (long minutes = spanMinutes / step * step; minutes >= 0; minutes -= step) {
			double x = RIGHT - (RIGHT - LEFT) * (double) minutes / spanMinutes;
			String label = (minutes != 0) ? "-" + minutes + " min" : "now";
			svg.append(format("<text class=\"pc-chart-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
					BOTTOM + 18, label));
		}
	}

	private static long labelStep(long spanMinutes) {
		for (int step : LABEL_STEPS_MINUTES) {
			if (spanMinutes / step < 6) {
				return step;
			}
		}
		return LABEL_STEPS_MINUTES[LABEL_STEPS_MINUTES.length - 1];
	}

	private static double bar(StringBuilder svg, String kind, double x, double bottom, double width, long count,
			long max) {
		if (count == 0) {
			return bottom;
		}
		double height = Math.max(1, (double) count / max * (BOTTOM - TOP));
		svg.append(format("<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", kind, x,
				bottom - height, width, height));
		return bottom - height;
	}

	private static String duration(Duration interval) {
		long seconds = interval.toSeconds();
		return (seconds % 60 == 0) ? (seconds / 60) + " min" : seconds + " s";
	}

	private static String format(String format, Object... values) {
		return String.format(Locale.ROOT, format, values);
	}

}
