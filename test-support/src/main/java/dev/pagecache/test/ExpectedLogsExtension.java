package dev.pagecache.test;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

import dev.pagecache.test.ExpectedLogEvents.Expectation;

/**
 * The JUnit extension of {@link ExpectedLogs}: labels the test on the console when it
 * starts, keeps the expected warnings and errors off the console while it runs, counts
 * them when it ends, and shows the last of them when one of its tests fails.
 *
 * @author pagecache
 */
public final class ExpectedLogsExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, TestWatcher {

	/**
	 * The loggers of a failed start-up: the context, Boot, its failure analysis, Tomcat.
	 */
	private static final List<String> FAILED_STARTUP_LOGGERS = List.of("org.springframework.boot.SpringApplication",
			"org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter",
			"org.springframework.boot.web.context", "org.springframework.boot.web.server.servlet.context",
			"org.springframework.boot.tomcat",
			"org.springframework.context.annotation.AnnotationConfigApplicationContext",
			"org.springframework.context.support");

	private static final Namespace NAMESPACE = Namespace.create(ExpectedLogsExtension.class);

	private static final String EXPECTATION = "expectation";

	private static final String SEQUENCE = "sequence";

	@Override
	public void beforeAll(ExtensionContext context) {
		start(context, context.getRequiredTestClass(), context.getRequiredTestClass().getSimpleName());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		end(context, context.getRequiredTestClass().getSimpleName());
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		context.getStore(NAMESPACE).put(SEQUENCE, ExpectedLogEvents.sequence());
		start(context, context.getRequiredTestMethod(), testName(context));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		end(context, testName(context));
	}

	@Override
	public void testFailed(ExtensionContext context, Throwable cause) {
		Long sequence = context.getStore(NAMESPACE).get(SEQUENCE, Long.class);
		List<String> kept = ExpectedLogEvents.keptAfter((sequence != null) ? sequence : 0);
		if (!kept.isEmpty()) {
			System.out.println(label(testName(context)) + "failed; the last " + kept.size()
					+ " expected warnings and errors it logged, kept off the console (" + ExpectedLogEvents.LOG_FILE
					+ " has them all):");
			kept.forEach((line) -> System.out.println("    " + line));
		}
	}

	private static void start(ExtensionContext context, AnnotatedElement element, String test) {
		ExpectedLogs expected = AnnotationSupport.findAnnotation(element, ExpectedLogs.class).orElse(null);
		if (expected == null || context.getStore(NAMESPACE).get(context.getUniqueId()) != null) {
			return;
		}
		List<String> loggers = new ArrayList<>(Arrays.asList(expected.value()));
		String what = String.join(", ", loggers);
		if (expected.failedStartups()) {
			loggers.addAll(FAILED_STARTUP_LOGGERS);
			what = (what.isEmpty() ? "" : what + " and ") + "failed start-ups";
		}
		System.out.println(label(test) + expected.because() + ": warnings and errors of " + what
				+ " are expected and go to " + ExpectedLogEvents.LOG_FILE + " only");
		context.getStore(NAMESPACE).put(context.getUniqueId(), ExpectedLogEvents.expect(loggers));
	}

	private static void end(ExtensionContext context, String test) {
		Expectation expectation = context.getStore(NAMESPACE).remove(context.getUniqueId(), Expectation.class);
		if (expectation == null) {
			return;
		}
		expectation.close();
		if (expectation.kept() > 0) {
			System.out.println(label(test) + expectation.kept() + " expected warnings and errors kept off the console");
		}
	}

	private static String testName(ExtensionContext context) {
		return context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
	}

	private static String label(String test) {
		return "[expected logs] " + test + ": ";
	}

}
