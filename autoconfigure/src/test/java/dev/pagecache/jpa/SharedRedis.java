package dev.pagecache.jpa;

import dev.pagecache.test.RedisServerProcess;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One Redis server for the blog tests that neither stop it nor need a context of their
 * own, so that they share one cached application context. Stopped when the test JVM
 * exits.
 */
final class SharedRedis {

	static final RedisServerProcess redis = start();

	private SharedRedis() {
	}

	static void register(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", redis::getHost);
		registry.add("spring.data.redis.port", redis::getPort);
	}

	private static RedisServerProcess start() {
		RedisServerProcess server = RedisServerProcess.start();
		Runtime.getRuntime().addShutdownHook(new Thread(server::close, "blog-redis-stop"));
		return server;
	}

}
