package dev.pagecache.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The tests' logging ({@code logback-test.xml}) with {@link ExpectedLogs}: what reaches
 * the console, what only the test log gets, and what a failing test shows. The test
 * classes below run through the JUnit launcher with a console of their own, which these
 * tests read and the build's console never sees.
 */
class ExpectedLogsTests {

	private static final Path LOG = Path.of(ExpectedLogEvents.LOG_FILE);

	@Test
	void expectedWarningsAndInformationGoToTheTestLogOnlyAndUnexpectedWarningsToTheConsole() throws IOException {
		Run run = run(ProvokesWarnings.class);
		assertThat(run.console).contains("[expected logs] ProvokesWarnings: the test logs them on purpose: warnings "
				+ "and errors of dev.pagecache.test.expected are expected and go to target/test-logs/tests.log only");
		assertThat(run.console).contains("an unexpected warning 7f3a")
			.doesNotContain("an expected warning 7f3a")
			.doesNotContain("an information 7f3a");
		assertThat(run.console)
			.contains("[expected logs] ProvokesWarnings: 2 expected warnings and errors kept off the console");
		assertThat(Files.readString(LOG, StandardCharsets.UTF_8)).contains("an expected warning 7f3a")
			.contains("an information 7f3a")
			.contains("an unexpected warning 7f3a");
	}

	@Test
	void aFailingTestShowsTheExpectedWarningsItLoggedAndNoOthers() {
		Run run = run(ProvokesWarnings.class);
		assertThat(run.failures).singleElement()
			.satisfies((
					failure) -> assertThat(failure.getThrowable()).get().asString().contains("the test's own failure"));
		assertThat(run.console).contains("[expected logs] ProvokesWarnings.failsAfterAnExpectedError: failed; the "
				+ "last 1 expected warnings and errors it logged, kept off the console (target/test-logs/tests.log "
				+ "has them all):" + System.lineSeparator() + "    ERROR dev.pagecache.test.expected.Source : the "
				+ "cause of the failure 7f3a (java.lang.IllegalStateException: out of order)");
		assertThat(run.console).doesNotContain("an expected warning 7f3a");
	}

	@Test
	void aStartUpThatFailsOnPurposePrintsNoFailureReportToTheConsole() throws IOException {
		Run run = run(FailsToStart.class);
		assertThat(run.failures).isEmpty();
		assertThat(run.console).contains("[expected logs] FailsToStart: the beans form a cycle on purpose: warnings "
				+ "and errors of failed start-ups are expected");
		assertThat(run.console).doesNotContain("APPLICATION FAILED TO START").doesNotContain("Application run failed");
		assertThat(Files.readString(LOG, StandardCharsets.UTF_8)).contains("APPLICATION FAILED TO START");
	}

	@Test
	void aTestWithoutTheAnnotationShowsItsWarningsOnTheConsole() {
		Run run = run(WarnsUnannounced.class);
		assertThat(run.console).contains(" WARN ")
			.contains("dev.pagecache.test.expected.Source")
			.contains("not expected here 7f3a")
			.doesNotContain("[expected logs]");
	}

	private static Run run(Class<?> testClass) {
		List<TestExecutionResult> failures = new ArrayList<>();
		TestExecutionListener listener = new TestExecutionListener() {

			@Override
			public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
				if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
					failures.add(result);
				}
			}

		};
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(testClass))
			.build();
		ByteArrayOutputStream console = new ByteArrayOutputStream();
		PrintStream out = System.out;
		System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
		try {
			LauncherFactory.create().execute(request, listener);
		}
		finally {
			System.setOut(out);
		}
		return new Run(console.toString(StandardCharsets.UTF_8), failures);
	}

	private record Run(String console, List<TestExecutionResult> failures) {
	}

	/** Run only by the tests above (Surefire skips nested classes). */
	@ExpectedLogs(value = "dev.pagecache.test.expected", because = "the test logs them on purpose")
	static class ProvokesWarnings {

		@Test
		void logsExpectedAndUnexpectedWarnings() {
			LoggerFactory.getLogger("dev.pagecache.test.expected.Source").warn("an expected warning 7f3a");
			LoggerFactory.getLogger("dev.pagecache.test.expectedly").warn("an unexpected warning 7f3a");
			LoggerFactory.getLogger("dev.pagecache.test.expected.Source").info("an information 7f3a");
		}

		@Test
		void failsAfterAnExpectedError() {
			LoggerFactory.getLogger("dev.pagecache.test.expected.Source")
				.error("the cause of the failure 7f3a", new IllegalStateException("out of order"));
			fail("the test's own failure");
		}

	}

	/** Run only by the tests above (Surefire skips nested classes). */
	static class WarnsUnannounced {

		@Test
		void logsAWarning() {
			LoggerFactory.getLogger("dev.pagecache.test.expected.Source").warn("not expected here 7f3a");
		}

	}

	/** Run only by the tests above (Surefire skips nested classes). */
	@ExpectedLogs(failedStartups = true, because = "the beans form a cycle on purpose")
	static class FailsToStart {

		@Test
		void startsAnApplicationWhoseBeansFormACycle() {
			SpringApplication application = new SpringApplication(Cycle.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			assertThatException().isThrownBy(() -> application.run());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Cycle {

		@Bean
		First first(Second second) {
			return new First();
		}

		@Bean
		Second second(First first) {
			return new Second();
		}

	}

	static class First {

	}

	static class Second {

	}

}
