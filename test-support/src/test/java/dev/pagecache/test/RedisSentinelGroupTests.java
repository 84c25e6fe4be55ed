package dev.pagecache.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSentinelGroupTests {

	@Test
	void writeAcknowledgedWhileTheReplicaIsCutOffIsLostByTheFailover() {
		try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
			assertThat(group.getSentinelNodes().split(",")).hasSize(3)
				.allMatch((node) -> node.startsWith("127.0.0.1:"));
			RedisServerProcess first = group.getPrimary();
			RedisServerProcess second = group.getReplica();
			assertThat(first.command("SET", "k", "replicated")).isEqualTo("+OK");
			group.awaitReplicaInSync();
			group.cutReplicaLink();
			assertThat(first.command("SET", "k", "acknowledged, then lost")).isEqualTo("+OK");
			group.killPrimary();
			group.resumeReplica();
			assertThat(group.awaitPromotion()).isSameAs(second);
			assertThat(group.getPrimary()).isSameAs(second);
			assertThat(second.command("GET", "k")).isEqualTo("replicated");
			group.restoreReplica();
			assertThat(group.getReplica()).isSameAs(first);
			assertThat(second.command("SET", "k", "after the failover")).isEqualTo("+OK");
			group.awaitReplicaInSync();
			assertThat(first.command("GET", "k")).isEqualTo("after the failover");
		}
	}

	@Test
	void killedPrimaryIsReplacedAgainAfterItCameBackAsAReplica() {
		try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
			RedisServerProcess first = group.getPrimary();
			RedisServerProcess second = group.getReplica();
			group.killPrimary();
			assertThat(group.awaitPromotion()).isSameAs(second);
			group.restoreReplica();
			group.killPrimary();
			assertThat(group.awaitPromotion()).isSameAs(first);
			assertThat(first.command("SET", "k", "v")).isEqualTo("+OK");
		}
	}

}
