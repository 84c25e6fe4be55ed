package dev.pagecache.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit extension of {@link WithPostgresServer}: skips the class where PostgreSQL is
 * not installed (outside CI), otherwise starts the shared server if it is not running yet
 * and assigns it to the class's static {@link PostgresServerProcess} fields.
 *
 * @author pagecache
 */
public final class PostgresServerExtension implements BeforeAllCallback {

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		if (!PostgresServers.isInstalled()) {
			String message = "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/initdb, no initdb on"
					+ " the PATH): install Debian's postgresql to run these tests, or point pagecache.test.postgres-bin"
					+ " at the directory of its binaries.";
			if (PostgresServers.isCi()) {
				Assertions.fail(message + " The CI environment variable is set, so this is a failure, not a skip.");
			}
			Assumptions.abort(message);
		}
		PostgresServerProcess server = PostgresServers.shared();
		for (Field field : ReflectionSupport.findFields(context.getRequiredTestClass(),
				PostgresServerExtension::isServerField, HierarchyTraversalMode.TOP_DOWN)) {
			field.setAccessible(true);
			field.set(null, server);
		}
	}

	private static boolean isServerField(Field field) {
		return Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())
				&& field.getType() == PostgresServerProcess.class;
	}

}
