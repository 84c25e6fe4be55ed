package dev.pagecache.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Says that a test class (or one test) provokes warnings and errors on purpose: a Redis
 * server it stops, a request it sends to fail, an application it makes fail to start.
 * While it runs, the warnings and errors of the named loggers go to the test log
 * ({@code target/test-logs/tests.log}) only, not to the console, whose logging
 * configuration ({@code logback-test.xml} of this module) shows nothing but unexpected
 * warnings and errors. The console says so when the test starts, counts what was kept off
 * it when the test ends, and shows the last of them when a test fails.
 *
 * @author pagecache
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ExpectedLogsExtension.class)
public @interface ExpectedLogs {

	/**
	 * The loggers whose warnings and errors the test provokes. A name covers the loggers
	 * below it: {@code io.lettuce} covers
	 * {@code io.lettuce.core.protocol.ConnectionWatchdog}.
	 * @return the logger names
	 */
	String[] value() default {};

	/**
	 * Whether the test makes applications fail to start on purpose, so that the warnings
	 * and errors of a failed start-up are expected too: the context's cancelled refresh,
	 * {@code SpringApplication}'s "Application run failed", the failure analysis
	 * ("APPLICATION FAILED TO START") and the embedded Tomcat's.
	 * @return whether start-up failures are expected
	 */
	boolean failedStartups() default false;

	/**
	 * Why the test provokes them, shown on the console when it starts.
	 * @return the reason
	 */
	String because();

}
