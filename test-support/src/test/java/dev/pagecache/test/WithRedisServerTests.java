package dev.pagecache.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@WithRedisServer
@SpringJUnitConfig(WithRedisServerTests.Empty.class)
class WithRedisServerTests {

	static RedisServerProcess redis;

	@Value("${spring.data.redis.port}")
	int port;

	@Value("${spring.data.redis.host}")
	String host;

	@Test
	void serverIsRunningAndAssignedToTheStaticField() {
		assertThat(redis).isNotNull();
		assertThat(redis.isRunning()).isTrue();
		assertThat(redis.command("PING")).isEqualTo("+PONG");
	}

	@Test
	void applicationContextPointsAtTheServer() {
		assertThat(this.port).isEqualTo(redis.getPort());
		assertThat(this.host).isEqualTo(redis.getHost());
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
