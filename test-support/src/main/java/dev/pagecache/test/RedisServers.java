package dev.pagecache.test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The servers of {@link WithRedisServer} test classes, started by whichever needs one
 * first: the JUnit extension before the class's tests, or the Spring context customizer
 * when a context is loaded earlier (a per-class test instance).
 */
final class RedisServers {

	private static final Map<Class<?>, RedisServerProcess> servers = new ConcurrentHashMap<>();

	private RedisServers() {
	}

	static WithRedisServer find(Class<?> testClass) {
		return AnnotationSupport.findAnnotation(testClass, WithRedisServer.class).orElse(null);
	}

	/**
	 * The server of a test class, started if it has none yet.
	 */
	static RedisServerProcess of(Class<?> testClass) {
		WithRedisServer annotation = find(testClass);
		if (annotation != null && annotation.shared()) {
			return Shared.server;
		}
		return servers.computeIfAbsent(testClass, (key) -> RedisServerProcess.start());
	}

	/**
	 * Stop the server of a test class, unless it is shared.
	 */
	static void stop(Class<?> testClass) {
		RedisServerProcess server = servers.remove(testClass);
		if (server != null) {
			server.close();
		}
	}

	private static final class Shared {

		static final RedisServerProcess server = start();

		private static RedisServerProcess start() {
			RedisServerProcess server = RedisServerProcess.start();
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shared-redis-server-stop"));
			return server;
		}

	}

}
