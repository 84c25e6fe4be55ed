package dev.pagecache.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server process on a free loopback port, in a temporary data
 * directory, owned by a test: {@code initdb}, then {@code postgres} in the foreground, no
 * Docker. Stopping it deletes the data directory.
 * <p>
 * The binaries are those of the directory named by the
 * {@code pagecache.test.postgres-bin} system property or the
 * {@code PAGECACHE_TEST_POSTGRES_BIN} environment variable, otherwise the newest
 * {@code /usr/lib/postgresql/<version>/bin} (Debian's {@code postgresql} package),
 * otherwise {@code initdb} and {@code postgres} on the {@code PATH}. PostgreSQL refuses
 * to run as root: as root the server runs as the {@code postgres} user (through
 * {@code setpriv}), which then owns the data directory; otherwise as the current user.
 * The server trusts every local connection and skips {@code fsync}: it is for tests only.
 */
public final class PostgresServerProcess implements AutoCloseable {

	/** The user every database is created for and connected as. */
	public static final String USER = "postgres";

	private static final String BIN_PROPERTY = "pagecache.test.postgres-bin";

	private static final String BIN_ENV = "PAGECACHE_TEST_POSTGRES_BIN";

	private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final AtomicInteger databases = new AtomicInteger();

	private final Path bin;

	private final Path directory;

	private final int port;

	private final String runAs;

	private Process process;

	private PostgresServerProcess(Path bin, Path directory, int port, String runAs) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
		this.runAs = runAs;
	}

	/**
	 * Whether PostgreSQL's binaries can be found.
	 * @return {@code true} if {@link #start()} can find {@code initdb} and
	 * {@code postgres}
	 */
	public static boolean isInstalled() {
		return findBinaries() != null;
	}

	/**
	 * Initialise a data directory and start a new server in it on a free port.
	 * @return the running server
	 * @throws IllegalStateException if PostgreSQL is not installed, or does not start
	 */
	public static PostgresServerProcess start() {
		Path bin = findBinaries();
		if (bin == null) {
			throw new IllegalStateException("PostgreSQL is not installed: no initdb and postgres in " + DEBIAN_VERSIONS
					+ "/<version>/bin or on the PATH; install Debian's postgresql or set " + BIN_PROPERTY);
		}
		String runAs = isRoot() ? USER : null;
		PostgresServerProcess server = new PostgresServerProcess(bin, temporaryDirectory(runAs),
				RedisServerProcess.freePort(), runAs);
		try {
			server.initialise();
			server.startProcess();
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	public String getHost() {
		return "127.0.0.1";
	}

	public int getPort() {
		return this.port;
	}

	/** The directory of the binaries this server runs, for test reports. */
	public Path getBin() {
		return this.bin;
	}

	/**
	 * The JDBC URL of a database of this server.
	 * @param database the database's name
	 * @return the URL, for the user {@link #USER}, no password
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + getHost() + ":" + this.port + "/" + database;
	}

	/**
	 * Create a new, empty database with a name no other has.
	 * @return its name
	 */
	public String createDatabase() {
		String name = "test_" + databases.incrementAndGet();
		try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name + " on port " + this.port, ex);
		}
		return name;
	}

	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Stop the server with a fast shutdown (open connections are closed), and delete its
	 * data directory.
	 */
	@Override
	public synchronized void close() {
		if (this.process != null) {
			// SIGTERM would wait for every client to disconnect; SIGINT does not
			signal(this.process, "INT");
			if (!waitFor(this.process, Duration.ofSeconds(20))) {
				this.process.destroyForcibly();
				waitFor(this.process, Duration.ofSeconds(10));
			}
			this.process = null;
		}
		deleteRecursively(this.directory);
	}

	private void initialise() {
		List<String> command = command("initdb", "-D", dataDirectory(), "-U", USER, "-A", "trust", "-E", "UTF8",
				"--locale=C", "--no-sync");
		Process initdb = run(command, this.directory.resolve("initdb.log"));
		if (!waitFor(initdb, START_TIMEOUT) || initdb.exitValue() != 0) {
			initdb.destroyForcibly();
			throw new IllegalStateException("initdb failed: " + String.join(" ", command) + "\n" + log("initdb.log"));
		}
	}

	private void startProcess() {
		List<String> command = command("postgres", "-D", dataDirectory(), "-p", Integer.toString(this.port), "-c",
				"listen_addresses=" + getHost(), "-c", "unix_socket_directories=" + this.directory, "-c", "fsync=off",
				"-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200");
		this.process = run(command, this.directory.resolve("postgres.log"));
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("postgres exited with " + this.process.exitValue() + ": "
						+ String.join(" ", command) + "\n" + log("postgres.log"));
			}
			if (accepts()) {
				return;
			}
			sleepBriefly();
		}
		throw new IllegalStateException(
				"postgres did not accept connections within " + START_TIMEOUT + "\n" + log("postgres.log"));
	}

	private boolean accepts() {
		try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
			return connection.isValid(5);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private String dataDirectory() {
		return this.directory.resolve("data").toString();
	}

	/** A command of the server's binaries, run as {@link #runAs} when that is set. */
	private List<String> command(String binary, String... args) {
		List<String> command = new ArrayList<>();
		if (this.runAs != null) {
			command.addAll(List.of("setpriv", "--reuid=" + this.runAs, "--regid=" + this.runAs, "--init-groups",
					"--reset-env"));
		}
		command.add(this.bin.resolve(binary).toString());
		command.addAll(List.of(args));
		return command;
	}

	private static Process run(List<String> command, Path log) {
		try {
			return new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + String.join(" ", command), ex);
		}
	}

	private String log(String name) {
		try {
			return Files.readString(this.directory.resolve(name), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no " + name + ")";
		}
	}

	private static Path findBinaries() {
		String configured = System.getProperty(BIN_PROPERTY, System.getenv(BIN_ENV));
		if (configured != null && !configured.isBlank()) {
			return hasBinaries(Path.of(configured)) ? Path.of(configured) : null;
		}
		if (Files.isDirectory(DEBIAN_VERSIONS)) {
			try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
				Path newest = versions.map((version) -> version.resolve("bin"))
					.filter(PostgresServerProcess::hasBinaries)
					.max(Comparator.comparing(PostgresServerProcess::versionOf))
					.orElse(null);
				if (newest != null) {
					return newest;
				}
			}
			catch (IOException ex) {
				// fall back to the PATH
			}
		}
		return findOnPath();
	}

	/** The directory of the {@code initdb} on the {@code PATH}, links followed. */
	private static Path findOnPath() {
		Path initdb = RedisBinaries.findOnPath("initdb");
		if (initdb == null) {
			return null;
		}
		try {
			Path bin = initdb.toRealPath().getParent();
			return hasBinaries(bin) ? bin : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static boolean hasBinaries(Path bin) {
		return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
	}

	/**
	 * The major version of {@code /usr/lib/postgresql/<version>/bin}, 0 if not a number.
	 */
	private static int versionOf(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	/** A new temporary directory, owned by {@code owner} when that is set. */
	private static Path temporaryDirectory(String owner) {
		try {
			Path directory = Files.createTempDirectory("pagecache-postgres");
			if (owner != null) {
				UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
				UserPrincipal user = users.lookupPrincipalByName(owner);
				GroupPrincipal group = users.lookupPrincipalByGroupName(owner);
				Files.setOwner(directory, user);
				Files.getFileAttributeView(directory, java.nio.file.attribute.PosixFileAttributeView.class)
					.setGroup(group);
			}
			return directory;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a data directory for PostgreSQL"
					+ ((owner != null) ? " owned by the user " + owner : ""), ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory: the system cleans it up eventually
		}
	}

	private static void signal(Process process, String signal) {
		try {
			new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
		}
		catch (IOException ex) {
			process.destroy();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static boolean waitFor(Process process, Duration timeout) {
		try {
			return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static void sleepBriefly() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
