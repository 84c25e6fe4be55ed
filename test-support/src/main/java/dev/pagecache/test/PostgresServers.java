package dev.pagecache.test;

/**
 * The one PostgreSQL server of the {@link WithPostgresServer} test classes of a JVM,
 * started by whichever needs it first and stopped when the JVM exits.
 */
final class PostgresServers {

	private PostgresServers() {
	}

	static boolean isInstalled() {
		return PostgresServerProcess.isInstalled();
	}

	/**
	 * Whether the tests run in CI (the {@code CI} environment variable is set), where a
	 * missing PostgreSQL is a failure.
	 */
	static boolean isCi() {
		return System.getenv("CI") != null;
	}

	static PostgresServerProcess shared() {
		return Shared.server;
	}

	private static final class Shared {

		static final PostgresServerProcess server = start();

		private static PostgresServerProcess start() {
			PostgresServerProcess server = PostgresServerProcess.start();
			Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shared-postgres-server-stop"));
			return server;
		}

	}

}
