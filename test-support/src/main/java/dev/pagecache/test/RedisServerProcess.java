package dev.pagecache.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code redis-server} process on a free loopback port, owned by a test.
 * <p>
 * The binary is chosen by the {@code pagecache.test.redis-server} system property or the
 * {@code PAGECACHE_TEST_REDIS_SERVER} environment variable: {@code auto} (the default)
 * takes {@code redis-server} from the {@code PATH} and falls back to the Redis 6.2 binary
 * shipped by the {@code com.github.codemonstur:embedded-redis} artifact; {@code embedded}
 * always takes the latter; any other value is the path of a binary. The process runs
 * without persistence and can be stopped, restarted (empty) on the same port, paused and
 * resumed, or {@linkplain #slowDown(Duration) slowed down}, so tests can simulate
 * outages. The same binary runs the replicas and Sentinels of a
 * {@link RedisSentinelGroup}.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final String SELECTOR_PROPERTY = "pagecache.test.redis-server";

	private static final String SELECTOR_ENV = "PAGECACHE_TEST_REDIS_SERVER";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.");

	private static volatile Path embeddedBinary;

	private final Path binary;

	private final int port;

	/** The configuration file of a Sentinel, {@code null} for a data server. */
	private final Path sentinelConfig;

	private List<String> options;

	private Process process;

	private RedisServerProcess(Path binary, int port, Path sentinelConfig, List<String> options) {
		this.binary = binary;
		this.port = port;
		this.sentinelConfig = sentinelConfig;
		this.options = List.copyOf(options);
	}

	/**
	 * Start a new server on a free port.
	 * @return the running server
	 */
	public static RedisServerProcess start() {
		return start(List.of());
	}

	/**
	 * Start a new server on a free port with more configuration.
	 * @param options configuration options as on the command line, such as
	 * {@code --replicaof 127.0.0.1 6379}, one word an element
	 * @return the running server
	 */
	static RedisServerProcess start(List<String> options) {
		RedisServerProcess server = new RedisServerProcess(selectBinary(), freePort(), null, options);
		server.startProcess();
		return server;
	}

	/**
	 * Start a Sentinel ({@code redis-server <config> --sentinel}).
	 * @param port the port, from {@link #freePort()}
	 * @param config the configuration file, which the Sentinel rewrites as its state
	 * changes
	 * @return the running Sentinel
	 */
	static RedisServerProcess startSentinel(int port, Path config) {
		RedisServerProcess sentinel = new RedisServerProcess(selectBinary(), port, config.toAbsolutePath(), List.of());
		sentinel.startProcess();
		return sentinel;
	}

	public int getPort() {
		return this.port;
	}

	public String getHost() {
		return "127.0.0.1";
	}

	/** The binary this server runs, for test reports. */
	public Path getBinary() {
		return this.binary;
	}

	/** Stop the process abruptly, losing all data, as a crash would. */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			waitFor(this.process);
			this.process = null;
		}
	}

	/** Start the server again on the same port, with no data. */
	public synchronized void restart() {
		kill();
		startProcess();
	}

	/**
	 * Start the server again on the same port, with no data and other options.
	 * @param options the options that replace those it was started with
	 */
	synchronized void restart(List<String> options) {
		kill();
		this.options = List.copyOf(options);
		startProcess();
	}

	/** Suspend the process with SIGSTOP: connections stay open, nothing answers. */
	public synchronized void pause() {
		signal("STOP");
	}

	/** Resume a paused process with SIGCONT. */
	public synchronized void resume() {
		signal("CONT");
	}

	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Keep the server busy with back-to-back {@code DEBUG SLEEP} commands, sent from a
	 * connection of its own, until the returned handle is closed: a command from any
	 * other client waits until the current sleep ends, up to the whole of {@code sleep},
	 * as on a server that is overloaded or swapping. The server stays reachable and
	 * answers every command, late.
	 * @param sleep how long each sleep blocks the server
	 * @return the handle that ends the slowdown
	 */
	public Slowdown slowDown(Duration sleep) {
		return new Slowdown(sleep);
	}

	/**
	 * Send one command over a fresh connection and return its reply as text: a bulk
	 * string's content, an array's elements one a line, any other reply as its RESP line
	 * ({@code +OK}, {@code :1}, {@code $-1}, {@code -ERR ...}).
	 * @param args the command and its arguments
	 * @return the reply as text
	 */
	public String command(String... args) {
		try (Socket socket = new Socket(getHost(), this.port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
			for (String arg : args) {
				byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
				request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
			}
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			return readReply(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Redis command " + String.join(" ", args) + " failed", ex);
		}
	}

	@Override
	public synchronized void close() {
		kill();
	}

	private synchronized void startProcess() {
		List<String> command = new ArrayList<>(List.of(this.binary.toString()));
		if (this.sentinelConfig != null) {
			command.addAll(List.of(this.sentinelConfig.toString(), "--sentinel"));
		}
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--protected-mode", "no"));
		if (this.sentinelConfig == null) {
			command.addAll(List.of("--save", "", "--appendonly", "no"));
			if (majorVersion(this.binary) >= 7) {
				// Redis 7 refuses DEBUG unless told otherwise; 6.2 does not know the
				// option
				command.addAll(List.of("--enable-debug-command", "local"));
			}
		}
		command.addAll(this.options);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + this.binary, ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.binary + " exited with " + this.process.exitValue());
			}
			try {
				if (command("PING").startsWith("+PONG")) {
					return;
				}
			}
			catch (IllegalStateException ex) {
				// not listening yet
			}
			sleepBriefly();
		}
		kill();
		throw new IllegalStateException(this.binary + " did not answer PING within " + START_TIMEOUT);
	}

	private void signal(String signal) {
		if (this.process == null) {
			throw new IllegalStateException("Redis is not running");
		}
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " failed");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int majorVersion(Path binary) {
		try {
			Process version = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
			String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			waitFor(version);
			Matcher matcher = VERSION.matcher(output);
			return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + binary + " --version", ex);
		}
	}

	private static String readReply(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			line.append((char) c);
		}
		String head = line.toString().trim();
		if (head.startsWith("$") && !head.equals("$-1")) {
			int length = Integer.parseInt(head.substring(1));
			byte[] body = in.readNBytes(length + 2);
			return new String(body, 0, length, StandardCharsets.UTF_8);
		}
		if (head.startsWith("*") && !head.equals("*-1")) {
			// an array: its elements, one a line
			List<String> elements = new ArrayList<>();
			for (int i = Integer.parseInt(head.substring(1)); i > 0; i--) {
				elements.add(readReply(in));
			}
			return String.join("\n", elements);
		}
		return head;
	}

	private static Path selectBinary() {
		String selector = System.getProperty(SELECTOR_PROPERTY, System.getenv().getOrDefault(SELECTOR_ENV, "auto"));
		if ("embedded".equals(selector)) {
			return embeddedBinary();
		}
		if (!"auto".equals(selector)) {
			return Path.of(selector);
		}
		Path onPath = findOnPath();
		return (onPath != null) ? onPath : embeddedBinary();
	}

	private static Path findOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(java.io.File.pathSeparator)) {
			Path candidate = Path.of(dir, "redis-server");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private static synchronized Path embeddedBinary() {
		if (embeddedBinary == null) {
			String resource = embeddedResourceName();
			try (InputStream in = RedisServerProcess.class.getClassLoader().getResourceAsStream(resource)) {
				if (in == null) {
					throw new IllegalStateException("No " + resource + " on the class path (embedded-redis missing?)");
				}
				Path dir = Files.createTempDirectory("pagecache-redis");
				Path target = dir.resolve("redis-server");
				Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
				Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
				target.toFile().deleteOnExit();
				dir.toFile().deleteOnExit();
				embeddedBinary = target;
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not extract " + resource, ex);
			}
		}
		return embeddedBinary;
	}

	private static String embeddedResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		throw new IllegalStateException("No embedded redis-server for " + os + "/" + arch
				+ "; put redis-server on the PATH or set " + SELECTOR_PROPERTY);
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void waitFor(Process process) {
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleepBriefly() {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A running {@link #slowDown(Duration) slowdown}: one thread that sends
	 * {@code DEBUG SLEEP} again as soon as the previous one returns.
	 */
	public final class Slowdown implements AutoCloseable {

		private final String seconds;

		private final Thread thread;

		private volatile boolean running = true;

		private volatile int sleeps;

		/** Released once the first sleep is sent, so that the slowdown is in effect. */
		private final CountDownLatch firstSent = new CountDownLatch(1);

		private Slowdown(Duration sleep) {
			this.seconds = Double.toString(sleep.toNanos() / 1e9);
			String reply = command("DEBUG", "SLEEP", "0");
			if (!reply.startsWith("+OK")) {
				throw new IllegalStateException("DEBUG SLEEP refused: " + reply);
			}
			this.thread = new Thread(this::sleepRepeatedly, "redis-slowdown-" + RedisServerProcess.this.port);
			this.thread.setDaemon(true);
			this.thread.start();
			try {
				this.firstSent.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** How many sleeps the server has finished so far. */
		public int getSleeps() {
			return this.sleeps;
		}

		private void sleepRepeatedly() {
			try (Socket socket = new Socket(getHost(), RedisServerProcess.this.port)) {
				socket.setSoTimeout(30_000);
				byte[] request = ("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$" + this.seconds.length() + "\r\n"
						+ this.seconds + "\r\n")
					.getBytes(StandardCharsets.UTF_8);
				while (this.running) {
					socket.getOutputStream().write(request);
					socket.getOutputStream().flush();
					this.firstSent.countDown();
					readReply(socket.getInputStream());
					this.sleeps++;
				}
			}
			catch (IOException ex) {
				// the server went away: nothing left to slow down
			}
		}

		/** Stop sending sleeps and wait until the last one has ended. */
		@Override
		public void close() {
			this.running = false;
			try {
				this.thread.join(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
