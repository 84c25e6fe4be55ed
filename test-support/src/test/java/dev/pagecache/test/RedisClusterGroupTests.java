package dev.pagecache.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real six-node Redis Cluster: every slot served, and a killed primary's slots taken
 * over by its replica.
 *
 * @author pagecache
 */
class RedisClusterGroupTests {

	@Test
	void clusterServesEverySlotAndSurvivesTheLossOfAPrimary() {
		try (RedisClusterGroup cluster = RedisClusterGroup.start()) {
			assertThat(cluster.getNodes().split(",")).hasSize(6);
			RedisServerProcess first = cluster.primaryOf(0);
			RedisServerProcess last = cluster.primaryOf(RedisClusterGroup.SLOTS - 1);
			assertThat(first.getPort()).isNotEqualTo(last.getPort());
			// "foo" hashes to slot 12182
			RedisServerProcess holder = cluster.primaryOf(12182);
			assertThat(holder.command("SET", "foo", "bar")).isEqualTo("+OK");
			assertThat(first.command("GET", "foo")).startsWith("-MOVED 12182");
			RedisServerProcess killed = cluster.killPrimaryOf(12182);
			cluster.awaitHealthy();
			RedisServerProcess promoted = cluster.primaryOf(12182);
			assertThat(promoted.getPort()).isNotEqualTo(killed.getPort());
			assertThat(cluster.getNodes().split(",")).hasSize(5);
		}
	}

}
