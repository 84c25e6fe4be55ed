package dev.pagecache.test;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class PostgresServerExtensionTests {

	@Test
	void classIsSkippedWhereNoPostgresqlIsInstalledUnlessInCiWhereItFails() {
		List<TestExecutionResult> results = runWithoutPostgresql(NeedsPostgres.class);
		assertThat(NeedsPostgres.ran).isFalse();
		Status expected = PostgresServers.isCi() ? Status.FAILED : Status.ABORTED;
		assertThat(results).singleElement().satisfies((result) -> {
			assertThat(result.getStatus()).isEqualTo(expected);
			assertThat(result.getThrowable()).get()
				.asString()
				.contains("PostgreSQL is not installed")
				.contains("pagecache.test.postgres-bin");
		});
	}

	private static List<TestExecutionResult> runWithoutPostgresql(Class<?> testClass) {
		List<TestExecutionResult> results = new ArrayList<>();
		TestExecutionListener listener = new TestExecutionListener() {

			@Override
			public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
				if (identifier.getSource().map(Object::toString).orElse("").contains(testClass.getName())
						&& result.getStatus() != Status.SUCCESSFUL) {
					results.add(result);
				}
			}

		};
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(testClass))
			.build();
		System.setProperty("pagecache.test.postgres-bin", "/nonexistent/postgresql/bin");
		try {
			LauncherFactory.create().execute(request, listener);
		}
		finally {
			System.clearProperty("pagecache.test.postgres-bin");
		}
		return results;
	}

	/** Run only by the test above (Surefire skips nested classes). */
	@WithPostgresServer
	static class NeedsPostgres {

		static volatile boolean ran;

		@Test
		void needsTheServer() {
			ran = true;
		}

	}

}
