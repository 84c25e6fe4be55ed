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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

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
		return start(freePort(), options);
	}

	/**
	 * Start a new server on a given port with more configuration.
	 * @param port the port
	 * @param options configuration options as on the command line, one word an element
	 * @return the running server
	 */
	static RedisServerProcess start(int port, List<String> options) {
		RedisServerProcess server = new RedisServerProcess(RedisBinaries.select(), port, null, options);
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
		RedisServerProcess sentinel = new RedisServerProcess(RedisBinaries.select(), port, config.toAbsolutePath(),
				List.of());
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
	public RedisSlowdown slowDown(Duration sleep) {
		return new RedisSlowdown(this, sleep);
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
			if (RedisBinaries.majorVersion(this.binary) >= 7) {
				// Redis 7 refuses DEBUG unless told otherwise; 6.2 does not know the
				// option
				command.addAll(List.of("--enable-debug-command", "local"));
			}
		}
		command.addAll(this.options);
		Path log;
		try {
			log = Files.createTempFile("redis-" + this.port + "-", ".log");
			log.toFile().deleteOnExit();
			this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + this.binary, ex);
		}
		awaitPong(log);
	}

	private void awaitPong(Path log) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.binary + " exited with " + this.process.exitValue() + ": " + lastLines(log));
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

	private static String lastLines(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
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

	static String readReply(InputStream in) throws IOException {
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

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static void waitFor(Process process) {
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

}
