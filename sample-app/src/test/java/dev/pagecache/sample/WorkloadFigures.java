package dev.pagecache.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.pagecache.sample.benchmark.InvalidationPolicy;

/**
 * What one run of the workload measured under one invalidation policy, and the table that
 * shows runs side by side.
 *
 * @author pagecache
 */
final class WorkloadFigures {

	static final Duration SOON_AFTER_A_WRITE = Duration.ofMillis(100);

	private final InvalidationPolicy policy;

	private final Map<WriteKind, WriteFigures> writes = new EnumMap<>(WriteKind.class);

	private final List<Long> staleAges = new ArrayList<>();

	/** The latency of each read that began soon after a write had returned. */
	private final List<Long> latenciesAfterWrites = new ArrayList<>();

	private long reads;

	private long hits;

	private long renders;

	private long firstRenders;

	private long elapsedNanos;

	private long refreshes;

	WorkloadFigures(InvalidationPolicy policy) {
		this.policy = policy;
		for (WriteKind kind : WriteKind.values()) {
			this.writes.put(kind, new WriteFigures());
		}
	}

	void hit() {
		this.reads++;
		this.hits++;
	}

	void staleHit(long ageNanos) {
		hit();
		this.staleAges.add(ageNanos);
	}

	void render(boolean first) {
		this.reads++;
		this.renders++;
		this.firstRenders += first ? 1 : 0;
	}

	/**
	 * Record a read's latency if it began within {@link #SOON_AFTER_A_WRITE} of a write's
	 * return, when readers would wait for renders that the write made necessary.
	 * @param sinceWriteNanos from the last write's return to the read's start
	 * @param latencyNanos the read's latency
	 */
	void readAfterWrite(long sinceWriteNanos, long latencyNanos) {
		if (sinceWriteNanos <= SOON_AFTER_A_WRITE.toNanos()) {
			this.latenciesAfterWrites.add(latencyNanos);
		}
	}

	void write(WriteKind kind, long dropped, long changed, long changedKept) {
		WriteFigures figures = this.writes.get(kind);
		figures.writes++;
		figures.dropped += dropped;
		figures.changed += changed;
		figures.changedKept += changedKept;
	}

	/**
	 * Record how many pages refresh-ahead rendered again during the run.
	 * @param refreshes the refreshes
	 */
	void refreshed(long refreshes) {
		this.refreshes = refreshes;
	}

	void elapsed(long nanos) {
		this.elapsedNanos = nanos;
	}

	InvalidationPolicy policy() {
		return this.policy;
	}

	long reads() {
		return this.reads;
	}

	double hitRatio() {
		return ratio(this.hits, this.reads);
	}

	/**
	 * The hit ratio of the reads that were not a page's first render, which no
	 * invalidation policy can avoid.
	 */
	double hitRatioAfterFirstRenders() {
		return ratio(this.hits, this.reads - this.firstRenders);
	}

	long writes() {
		return total().writes;
	}

	/**
	 * Renders caused by writes or expiry: every miss but the first render of each page.
	 */
	double rendersPerWrite() {
		return ratio(this.renders - this.firstRenders, writes());
	}

	/**
	 * Renders by refresh-ahead, in the background: no reader waits for them.
	 */
	double refreshesPerWrite() {
		return ratio(this.refreshes, writes());
	}

	double droppedPerWrite() {
		return total().droppedPerWrite();
	}

	double changedPerWrite() {
		return total().changedPerWrite();
	}

	double droppedPerChanged() {
		return total().droppedPerChanged();
	}

	double changedKeptPerWrite() {
		return total().changedKeptPerWrite();
	}

	long staleReads() {
		return this.staleAges.size();
	}

	Duration staleAge(double percentile) {
		return percentile(this.staleAges, percentile);
	}

	Duration latencyAfterWrites(double percentile) {
		return percentile(this.latenciesAfterWrites, percentile);
	}

	private static Duration percentile(List<Long> nanos, double percentile) {
		if (nanos.isEmpty()) {
			return Duration.ZERO;
		}
		List<Long> sorted = nanos.stream().sorted().toList();
		int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
		return Duration.ofNanos(sorted.get(Math.max(0, index)));
	}

	WriteFigures writes(WriteKind kind) {
		return this.writes.get(kind);
	}

	private WriteFigures total() {
		WriteFigures total = new WriteFigures();
		for (WriteFigures figures : this.writes.values()) {
			total.writes += figures.writes;
			total.dropped += figures.dropped;
			total.changed += figures.changed;
			total.changedKept += figures.changedKept;
		}
		return total;
	}

	/**
	 * The runs side by side, as a Markdown table, followed by the figures of each kind of
	 * write.
	 * @param runs the runs
	 * @return the tables
	 */
	static String table(List<WorkloadFigures> runs) {
		StringBuilder table = new StringBuilder();
		table.append("| policy | reads | writes | hit ratio | without first renders | readers' renders per write "
				+ "| refresh renders per write | pages dropped per write | pages really changed per write | dropped ÷ changed "
				+ "| changed pages kept per write | stale reads | stale for p50 / p95 / max "
				+ "| reads within 100 ms of a write: p50 / p99 | run time |\n");
		table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|\n");
		for (WorkloadFigures run : runs) {
			table.append(String.format(Locale.ROOT,
					"| %s | %d | %d | %.3f | %.3f | %.2f | %.2f | %.2f | %.2f | %s | %.2f | %d (%.1f%%) | %s | %s | %.0f s |%n",
					name(run.policy), run.reads, run.writes(), run.hitRatio(), run.hitRatioAfterFirstRenders(),
					run.rendersPerWrite(), run.refreshesPerWrite(), run.droppedPerWrite(), run.changedPerWrite(),
					run.total().droppedPerChangedText(), run.changedKeptPerWrite(), run.staleReads(),
					100.0 * ratio(run.staleReads(), run.reads),
					(run.staleReads() == 0) ? "-"
							: seconds(run.staleAge(50)) + " / " + seconds(run.staleAge(95)) + " / "
									+ seconds(run.staleAge(100)),
					millis(run.latencyAfterWrites(50)) + " / " + millis(run.latencyAfterWrites(99)),
					run.elapsedNanos / 1e9));
		}
		table.append("\n| policy | write | writes | pages dropped per write | pages really changed per write "
				+ "| dropped ÷ changed | changed pages kept per write |\n");
		table.append("|---|---|---:|---:|---:|---:|---:|\n");
		for (WorkloadFigures run : runs) {
			for (WriteKind kind : WriteKind.values()) {
				WriteFigures figures = run.writes(kind);
				table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %s | %.2f |%n",
						name(run.policy), kind.description, figures.writes, figures.droppedPerWrite(),
						figures.changedPerWrite(), figures.droppedPerChangedText(), figures.changedKeptPerWrite()));
			}
		}
		return table.toString();
	}

	static String name(InvalidationPolicy policy) {
		return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static String millis(Duration duration) {
		return String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
	}

	private static double ratio(double part, double whole) {
		return (whole != 0) ? part / whole : 0;
	}

	/**
	 * The kinds of writes the workload makes.
	 */
	enum WriteKind {

		COMMENT("comment"), TITLE_EDIT("title edit"), BODY_EDIT("body edit");

		private final String description;

		WriteKind(String description) {
			this.description = description;
		}

	}

	/**
	 * Totals over the writes of one kind.
	 */
	static final class WriteFigures {

		private long writes;

		private long dropped;

		private long changed;

		private long changedKept;

		long writes() {
			return this.writes;
		}

		double droppedPerWrite() {
			return ratio(this.dropped, this.writes);
		}

		double changedPerWrite() {
			return ratio(this.changed, this.writes);
		}

		double droppedPerChanged() {
			return ratio(this.dropped, this.changed);
		}

		double changedKeptPerWrite() {
			return ratio(this.changedKept, this.writes);
		}

		private String droppedPerChangedText() {
			if (this.changed == 0) {
				return (this.dropped == 0) ? "-" : "∞";
			}
			return String.format(Locale.ROOT, "%.2f", droppedPerChanged());
		}

	}

}
