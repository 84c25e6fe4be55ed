package dev.pagecache.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real PostgreSQL server: a {@link PostgresServerProcess} shared by
 * every such class for the life of the test JVM, assigned to every static field of type
 * {@link PostgresServerProcess} the class declares. Each application context that the
 * class's Spring tests load gets a database of its own on it
 * ({@code spring.datasource.url}, {@code username} and {@code password}), with
 * {@code spring.jpa.hibernate.ddl-auto=create} unless the test sets another value (not
 * {@code create-drop}: the server may stop before the context closes).
 * <p>
 * Where PostgreSQL is not installed the class's tests are skipped, unless the {@code CI}
 * environment variable is set: then they fail.
 *
 * @author pagecache
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresServerExtension.class)
public @interface WithPostgresServer {

}
