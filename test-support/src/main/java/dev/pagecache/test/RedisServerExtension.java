package dev.pagecache.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit extension of {@link WithRedisServer}: starts the class's server, assigns it
 * to the class's static {@link RedisServerProcess} fields, and stops it after the class's
 * tests.
 *
 * @author pagecache
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Class<?> testClass = context.getRequiredTestClass();
		RedisServerProcess server = RedisServers.of(testClass);
		for (Field field : ReflectionSupport.findFields(testClass, RedisServerExtension::isServerField,
				HierarchyTraversalMode.TOP_DOWN)) {
			field.setAccessible(true);
			field.set(null, server);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		RedisServers.stop(context.getRequiredTestClass());
	}

	private static boolean isServerField(Field field) {
		return Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())
				&& field.getType() == RedisServerProcess.class;
	}

}
