package dev.pagecache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx process on a free loopback port, in a temporary prefix directory, owned by
 * a test: {@code nginx -p
 *
<dir>
 *  -c
 *
<dir>
 * /nginx.conf -g 'daemon off;'}. The main configuration it writes loads the cache purge
 * module as Debian's libnginx-mod-http-cache-purge does ({@code load_module
 * modules/ngx_http_cache_purge_module.so;}, {@code modules} being a link to the modules
 * directory as installed), keeps logs, temporary files and the cache in the prefix
 * directory, and includes the test's http-context configuration. Stopping it deletes the
 * directory.
 * <p>
 * The binary is the one named by the {@code pagecache.test.nginx} system property or the
 * {@code PAGECACHE_TEST_NGINX} environment variable, otherwise {@code nginx} on the
 * {@code PATH} or in {@code /usr/sbin}; the modules are those of
 * {@code /usr/lib/nginx/modules} (Debian), or of the directory named by
 * {@code pagecache.test.nginx-modules} / {@code PAGECACHE_TEST_NGINX_MODULES}.
 */
public final class NginxProcess implements AutoCloseable {

	/** The file name of the cache purge module. */
	public static final String PURGE_MODULE = "ngx_http_cache_purge_module.so";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final Path binary;

	private final Path prefix;

	private final int port;

	private Process process;

	private NginxProcess(Path binary, Path prefix, int port) {
		this.binary = binary;
		this.prefix = prefix;
		this.port = port;
	}

	/**
	 * Whether nginx and the cache purge module can be found.
	 * @return {@code true} if {@link #start} can run
	 */
	public static boolean isInstalled() {
		return findBinary() != null && Files.isRegularFile(modulesDirectory().resolve(PURGE_MODULE));
	}

	/**
	 * Skip the calling test where nginx or the purge module is missing, with a message
	 * that says what to install; fail instead when the {@code CI} environment variable is
	 * set.
	 */
	public static void assumeInstalled() {
		if (isInstalled()) {
			return;
		}
		String message = "nginx with the cache purge module is not installed (no nginx on the PATH or in /usr/sbin, or"
				+ " no " + modulesDirectory().resolve(PURGE_MODULE) + "): install Debian's nginx and"
				+ " libnginx-mod-http-cache-purge to run these tests.";
		if (PostgresServers.isCi()) {
			Assertions.fail(message + " The CI environment variable is set, so this is a failure, not a skip.");
		}
		Assumptions.abort(message);
	}

	/**
	 * A free port on the loopback interface, for an nginx to start later.
	 * @return the port
	 */
	public static int freePort() {
		return RedisServerProcess.freePort();
	}

	/**
	 * Start nginx on a free port in front of a backend, with a configuration shaped like
	 * the shipped {@code edge/nginx/pagecache.conf}.
	 * @param pagecacheConf the http-context configuration
	 * @param backendPort the port of the application on 127.0.0.1
	 * @return the running nginx
	 * @see #startInFrontOf(Path, int, int)
	 */
	public static NginxProcess startInFrontOf(Path pagecacheConf, int backendPort) {
		return startInFrontOf(pagecacheConf, backendPort, freePort());
	}

	/**
	 * Start nginx in front of a backend with a configuration shaped like the shipped
	 * {@code edge/nginx/pagecache.conf}: its {@code listen 8000}, its
	 * {@code server 127.0.0.1:8080} and its {@code proxy_cache_path} directory are
	 * replaced by the given port, the backend's port and a directory of the prefix.
	 * @param pagecacheConf the http-context configuration
	 * @param backendPort the port of the application on 127.0.0.1
	 * @param port the port nginx listens on, on 127.0.0.1
	 * @return the running nginx
	 * @throws IllegalStateException if the configuration lacks one of those lines, or
	 * nginx does not start
	 */
	public static NginxProcess startInFrontOf(Path pagecacheConf, int backendPort, int port) {
		String conf = read(pagecacheConf);
		return start(port,
				(prefix) -> replace(
						replace(replace(conf, "listen 8000;", "listen 127.0.0.1:" + port + ";"),
								"server 127.0.0.1:8080;", "server 127.0.0.1:" + backendPort + ";"),
						"/var/cache/nginx/pagecache", prefix.resolve("cache").toString()));
	}

	/**
	 * Start nginx with an http-context configuration of the test's own.
	 * @param port the port the configuration makes nginx listen on, on 127.0.0.1
	 * @param httpConf the configuration, given the prefix directory
	 * @return the running nginx
	 */
	public static NginxProcess start(int port, Function<Path, String> httpConf) {
		Path binary = findBinary();
		if (binary == null) {
			throw new IllegalStateException("nginx is not installed: no nginx on the PATH or in /usr/sbin");
		}
		NginxProcess nginx = new NginxProcess(binary, prefixDirectory(), port);
		try {
			nginx.writeConfiguration(httpConf.apply(nginx.prefix));
			nginx.startProcess();
		}
		catch (RuntimeException ex) {
			nginx.close();
			throw ex;
		}
		return nginx;
	}

	public int getPort() {
		return this.port;
	}

	/** The base URL of this nginx, {@code http://127.0.0.1:<port>}. */
	public String getUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The access log so far, for failure messages. */
	public String accessLog() {
		return readOr(this.prefix.resolve("logs/access.log"));
	}

	/** The error log so far, for failure messages. */
	public String errorLog() {
		return readOr(this.prefix.resolve("logs/error.log"));
	}

	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Stop nginx (fast shutdown) and delete its prefix directory. */
	@Override
	public synchronized void close() {
		if (this.process != null) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
		deleteRecursively(this.prefix);
	}

	private void writeConfiguration(String httpConf) {
		try {
			for (String directory : List.of("logs", "temp", "cache")) {
				Files.createDirectories(this.prefix.resolve(directory));
			}
			Files.createSymbolicLink(this.prefix.resolve("modules"), modulesDirectory());
			Files.writeString(this.prefix.resolve("pagecache.conf"), httpConf, StandardCharsets.UTF_8);
			Files.writeString(this.prefix.resolve("nginx.conf"), mainConfiguration(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the configuration of nginx in " + this.prefix, ex);
		}
	}

	private String mainConfiguration() {
		return String.join("\n", "load_module modules/" + PURGE_MODULE + ";", "worker_processes 1;",
				"error_log logs/error.log info;", "pid logs/nginx.pid;", "events { worker_connections 256; }", "http {",
				"  access_log logs/access.log;", "  client_body_temp_path temp/body;", "  proxy_temp_path temp/proxy;",
				"  fastcgi_temp_path temp/fastcgi;", "  uwsgi_temp_path temp/uwsgi;", "  scgi_temp_path temp/scgi;",
				"  include pagecache.conf;", "}", "");
	}

	private void startProcess() {
		List<String> command = new ArrayList<>(List.of(this.binary.toString(), "-p", this.prefix + "/", "-c",
				this.prefix.resolve("nginx.conf").toString(), "-e", this.prefix.resolve("logs/error.log").toString(),
				"-g", "daemon off;"));
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.prefix.resolve("logs/stdout.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + String.join(" ", command), ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"nginx exited with " + this.process.exitValue() + ": " + String.join(" ", command) + "\n"
								+ readOr(this.prefix.resolve("logs/stdout.log")) + "\n" + errorLog());
			}
			if (accepts()) {
				return;
			}
			sleepBriefly();
		}
		throw new IllegalStateException("nginx did not listen within " + START_TIMEOUT + "\n" + errorLog());
	}

	private boolean accepts() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			return socket.isConnected();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Path findBinary() {
		String configured = System.getProperty("pagecache.test.nginx", System.getenv("PAGECACHE_TEST_NGINX"));
		if (configured != null && !configured.isBlank()) {
			return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
		}
		Path onPath = RedisBinaries.findOnPath("nginx");
		if (onPath != null) {
			return onPath;
		}
		Path sbin = Path.of("/usr/sbin/nginx");
		return Files.isExecutable(sbin) ? sbin : null;
	}

	private static Path modulesDirectory() {
		String configured = System.getProperty("pagecache.test.nginx-modules",
				System.getenv("PAGECACHE_TEST_NGINX_MODULES"));
		return (configured != null && !configured.isBlank()) ? Path.of(configured) : Path.of("/usr/lib/nginx/modules");
	}

	/**
	 * A new prefix directory that nginx's workers can enter: as root, nginx runs them as
	 * an unprivileged user.
	 */
	private static Path prefixDirectory() {
		try {
			Path directory = Files.createTempDirectory("pagecache-nginx");
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a prefix directory for nginx", ex);
		}
	}

	private static String replace(String text, String target, String replacement) {
		if (!text.contains(target)) {
			throw new IllegalStateException("The nginx configuration has no '" + target + "' to replace");
		}
		return text.replace(target, replacement);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + file, ex);
		}
	}

	private static String readOr(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no " + file.getFileName() + ")";
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
