package dev.pagecache.test;

import java.time.Duration;

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

	@Test
	void slowedDownServerAnswersLateUntilTheSlowdownEnds() {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			long slowest = 0;
			try (RedisSlowdown slowdown = redis.slowDown(Duration.ofMillis(300))) {
				for (int i = 0; i < 10; i++) {
					long start = System.nanoTime();
					assertThat(redis.command("PING")).isEqualTo("+PONG");
					slowest = Math.max(slowest, System.nanoTime() - start);
				}
				assertThat(slowdown.getSleeps()).isPositive();
			}
			// each command waits for the rest of the current sleep: ten waits all under
			// 100 ms are as unlikely
			// as 1 in 3^10
			assertThat(Duration.ofNanos(slowest)).isGreaterThan(Duration.ofMillis(100));
		}
	}

}
