package dev.pagecache.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * The filter of the tests' console appender ({@code logback-test.xml}): the console shows
 * the warnings and errors that no running {@link ExpectedLogs} test expects, and debug
 * and trace events, which appear only where a test turned a logger down to see them.
 * Information events (start-up reports, connections, schema creation) go to the test log
 * only, as expected warnings and errors do.
 *
 * @author pagecache
 */
public final class ConsoleLogFilter extends Filter<ILoggingEvent> {

	@Override
	public FilterReply decide(ILoggingEvent event) {
		Level level = event.getLevel();
		if (level.isGreaterOrEqual(Level.WARN)) {
			return ExpectedLogEvents.isExpected(event) ? FilterReply.DENY : FilterReply.NEUTRAL;
		}
		return (level.isGreaterOrEqual(Level.INFO)) ? FilterReply.DENY : FilterReply.NEUTRAL;
	}

}
