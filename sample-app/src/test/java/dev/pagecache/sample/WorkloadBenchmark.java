package dev.pagecache.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.pagecache.sample.benchmark.InvalidationPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The workload benchmark: simulated blog traffic under the starter's precise invalidation
 * and two naive policies, one table. Not a test of the build (Surefire does not pick up
 * its name); run it with {@code benchmarks/workload.sh}, which passes the
 * {@code workload.*} settings as system properties ({@link WorkloadSettings}) and
 * {@code workload.policies} (all three by default). The tables are printed and written to
 * {@code workload.output} ({@code target/workload.md}).
 *
 * @author pagecache
 */
class WorkloadBenchmark {

	@Test
	void measureEachPolicy() throws IOException {
		WorkloadSettings settings = WorkloadSettings.fromSystemProperties();
		Workload workload = Workload.generate(settings);
		List<WorkloadFigures> runs = new ArrayList<>();
		for (InvalidationPolicy policy : policies()) {
			System.out.println("Running " + WorkloadFigures.name(policy) + ": " + settings.describe());
			runs.add(WorkloadRun.measure(settings, workload, policy));
		}
		String report = "Workload: " + settings.describe() + ".\n\n" + WorkloadFigures.table(runs);
		System.out.println(report);
		Path output = Path.of(System.getProperty("workload.output", "target/workload.md"));
		Files.writeString(output, report);
	}

	private static List<InvalidationPolicy> policies() {
		String names = System.getProperty("workload.policies", "precise,drop-all,ttl-only");
		return Arrays.stream(names.split(","))
			.map(String::trim)
			.map((name) -> new Binder(new MapConfigurationPropertySource(Map.of("policy", name)))
				.bind("policy", InvalidationPolicy.class)
				.get())
			.toList();
	}

}
