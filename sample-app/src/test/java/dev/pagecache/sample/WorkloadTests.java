package dev.pagecache.sample;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.pagecache.sample.benchmark.InvalidationPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small run of the workload benchmark under each invalidation policy, with the
 * properties that must hold whatever the machine: precise invalidation and dropping
 * everything never serve a stale page, TTL alone does, and precise invalidation drops far
 * fewer pages than dropping everything, yet no fewer than really changed.
 *
 * @author pagecache
 */
class WorkloadTests {

	private static final WorkloadSettings SETTINGS = new WorkloadSettings(300, 10, 0.3, 1.0, 7, 20,
			Duration.ofMinutes(10), "memory", WorkloadSettings.GroundTruth.CONCURRENT, Map.of(), false);

	private static final Map<InvalidationPolicy, WorkloadFigures> runs = new EnumMap<>(InvalidationPolicy.class);

	@BeforeAll
	static void runWorkload() {
		Workload workload = Workload.generate(SETTINGS);
		for (InvalidationPolicy policy : InvalidationPolicy.values()) {
			runs.put(policy, WorkloadRun.measure(SETTINGS, workload, policy));
		}
		System.out.println(WorkloadFigures.table(runs.values().stream().toList()));
	}

	@Test
	void workloadWritesChangePagesThatAreCached() {
		WorkloadFigures precise = runs.get(InvalidationPolicy.PRECISE);
		assertThat(precise.writes()).isGreaterThan(20);
		assertThat(precise.changedPerWrite()).isGreaterThanOrEqualTo(1);
		assertThat(precise.hitRatio()).isGreaterThan(0.5);
	}

	@Test
	void preciseInvalidationServesNoStalePage() {
		WorkloadFigures precise = runs.get(InvalidationPolicy.PRECISE);
		assertThat(precise.staleReads()).isZero();
		assertThat(precise.changedKeptPerWrite()).isZero();
	}

	@Test
	void preciseInvalidationDropsAFewTimesWhatReallyChanged() {
		WorkloadFigures precise = runs.get(InvalidationPolicy.PRECISE);
		assertThat(precise.droppedPerWrite()).isGreaterThanOrEqualTo(precise.changedPerWrite());
		assertThat(precise.droppedPerChanged()).isLessThan(3);
	}

	@Test
	void droppingEverythingServesNoStalePageButDropsMoreThanPreciseInvalidation() {
		WorkloadFigures dropAll = runs.get(InvalidationPolicy.DROP_ALL);
		WorkloadFigures precise = runs.get(InvalidationPolicy.PRECISE);
		assertThat(dropAll.staleReads()).isZero();
		assertThat(dropAll.droppedPerWrite()).isGreaterThan(2 * precise.droppedPerWrite());
		assertThat(dropAll.rendersPerWrite()).isGreaterThan(precise.rendersPerWrite());
		assertThat(dropAll.hitRatio()).isLessThan(precise.hitRatio());
	}

	@Test
	void ttlAloneServesStalePagesAndDropsNothing() {
		WorkloadFigures ttlOnly = runs.get(InvalidationPolicy.TTL_ONLY);
		assertThat(ttlOnly.droppedPerWrite()).isZero();
		assertThat(ttlOnly.changedKeptPerWrite()).isGreaterThan(0);
		assertThat(ttlOnly.staleReads()).isGreaterThan(0);
		assertThat(ttlOnly.staleAge(100)).isPositive();
	}

}
