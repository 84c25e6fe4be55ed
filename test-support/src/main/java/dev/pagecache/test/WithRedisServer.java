package dev.pagecache.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Redis server: a {@link RedisServerProcess} on a free port,
 * started before the class's tests and stopped after them. The server is assigned to
 * every static field of type {@link RedisServerProcess} the class declares, and an
 * application context that the class's Spring tests load has
 * {@code spring.data.redis.host} and {@code spring.data.redis.port} pointing at it.
 *
 * @author pagecache
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisServerExtension.class)
public @interface WithRedisServer {

	/**
	 * Whether the class shares one server with every other class that shares it, for the
	 * life of the test JVM, so that their application contexts are cached and reused. A
	 * test must not stop, pause or slow down a shared server.
	 * @return whether the server is shared
	 */
	boolean shared() default false;

}
