package dev.pagecache.sample;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.autoconfigure.ApplicationDataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.autoconfigure.init.SqlInitializationProperties;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.stereotype.Component;

/**
 * Runs {@code schema.sql} as Spring Boot would ({@code spring.sql.init.*}), again when it
 * fails. Its statements are idempotent ({@code if not exists}), but two instances
 * starting together against one database may still collide while both create the same
 * table or index; the one that loses finds the objects in place when it runs the script
 * again.
 *
 * @author pagecache
 */
@Component
class SchemaInitializer extends ApplicationDataSourceScriptDatabaseInitializer {

	private static final Log logger = LogFactory.getLog(SchemaInitializer.class);

	private static final int ATTEMPTS = 5;

	private static final long PAUSE_MILLIS = 200;

	SchemaInitializer(DataSource dataSource, SqlInitializationProperties properties) {
		super(dataSource, properties);
	}

	@Override
	protected void runScripts(Scripts scripts) {
		for (int attempt = 1;; attempt++) {
			try {
				super.runScripts(scripts);
				return;
			}
			catch (ScriptException ex) {
				if (attempt == ATTEMPTS) {
					throw ex;
				}
				logger.info("Schema script failed (another instance may be creating the schema), running it again: "
						+ ex.getMessage());
				pause();
			}
		}
	}

	private static void pause() {
		try {
			Thread.sleep(PAUSE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to run the schema script again", ex);
		}
	}

}
