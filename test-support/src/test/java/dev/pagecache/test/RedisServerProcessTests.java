package dev.pagecache.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisServerProcessTests {

	@Test
	void startedServerAnswersAndLosesDataOnRestart() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertThat(redis.command("SET", "k", "v")).isEqualTo("+OK");
			assertThat(redis.command("GET", "k")).isEqualTo("v");
			redis.restart();
			assertThat(redis.command("GET", "k")).isEqualTo("$-1");
			redis.kill();
			assertThat(redis.isRunning()).isFalse();
		}
	}

}
