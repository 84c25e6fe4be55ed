package dev.pagecache.test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * The expectations of the {@link ExpectedLogs} tests running now, which
 * {@link ConsoleLogFilter} consults for every warning and error, from whichever thread
 * logs it, and the last expected events, which a failing test shows.
 */
final class ExpectedLogEvents {

	/** Where {@code logback-test.xml} writes every event, relative to the module. */
	static final String LOG_FILE = "target/test-logs/tests.log";

	private static final int RECENT = 20;

	private static final List<Expectation> active = new CopyOnWriteArrayList<>();

	private static final AtomicLong sequence = new AtomicLong();

	private static final Deque<Kept> recent = new ArrayDeque<>();

	private ExpectedLogEvents() {
	}

	/**
	 * Expect the warnings and errors of some loggers until the expectation is closed.
	 * @param loggers the logger names, each covering the loggers below it
	 * @return the expectation
	 */
	static Expectation expect(List<String> loggers) {
		Expectation expectation = new Expectation(List.copyOf(loggers));
		active.add(expectation);
		return expectation;
	}

	/**
	 * Whether a running test expects an event; counts it if so.
	 * @param event a warning or an error
	 * @return whether it is expected
	 */
	static boolean isExpected(ILoggingEvent event) {
		String logger = event.getLoggerName();
		for (Expectation expectation : active) {
			if (expectation.covers(logger)) {
				expectation.kept.incrementAndGet();
				remember(event);
				return true;
			}
		}
		return false;
	}

	/**
	 * The number of expected events kept off the console so far, in all tests.
	 * @return the count
	 */
	static long sequence() {
		return sequence.get();
	}

	/**
	 * The last expected events kept off the console after a point.
	 * @param after a {@link #sequence()} taken earlier
	 * @return the events, oldest first, at most {@value #RECENT}
	 */
	static List<String> keptAfter(long after) {
		List<String> lines = new ArrayList<>();
		synchronized (recent) {
			for (Kept kept : recent) {
				if (kept.sequence > after) {
					lines.add(kept.line);
				}
			}
		}
		return lines;
	}

	private static void remember(ILoggingEvent event) {
		String line = event.getLevel() + " " + event.getLoggerName() + " : " + event.getFormattedMessage();
		IThrowableProxy thrown = event.getThrowableProxy();
		if (thrown != null) {
			line += " (" + thrown.getClassName() + ": " + thrown.getMessage() + ")";
		}
		synchronized (recent) {
			recent.addLast(new Kept(sequence.incrementAndGet(), line));
			if (recent.size() > RECENT) {
				recent.removeFirst();
			}
		}
	}

	/**
	 * The loggers one test expects warnings and errors of, while it runs.
	 */
	static final class Expectation implements AutoCloseable {

		private final List<String> loggers;

		private final AtomicLong kept = new AtomicLong();

		private Expectation(List<String> loggers) {
			this.loggers = loggers;
		}

		boolean covers(String logger) {
			for (String name : this.loggers) {
				if (logger.startsWith(name) && (logger.length() == name.length() || logger.charAt(name.length()) == '.'
						|| logger.charAt(name.length()) == '$')) {
					return true;
				}
			}
			return false;
		}

		/**
		 * The expected warnings and errors kept off the console.
		 * @return the count
		 */
		long kept() {
			return this.kept.get();
		}

		@Override
		public void close() {
			active.remove(this);
		}

	}

	private record Kept(long sequence, String line) {
	}

}
