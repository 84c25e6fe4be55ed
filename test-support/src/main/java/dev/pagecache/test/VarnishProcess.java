package dev.pagecache.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Varnish ({@code varnishd}, Debian's {@code varnish} with {@code varnish-modules}
 * for xkey) on a free loopback port, running the shipped
 * {@code edge/varnish/pagecache.vcl} in front of an application on another port, owned by
 * a test.
 * <p>
 * The binary is {@code varnishd} from the {@code PATH} or {@code /usr/sbin}, or the one
 * the {@code PAGECACHE_TEST_VARNISHD} environment variable names. It runs in the
 * foreground without a jail ({@code -j none}, which also lets it run as root), with a
 * working directory of its own and a small in-memory cache. Where it is not installed,
 * {@link #assumeInstalled()} skips the test with a message, unless the {@code CI}
 * environment variable is set, where it fails.
 */
public final class VarnishProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final String VCL = "edge/varnish/pagecache.vcl";

	private final Path binary;

	private final int port;

	private final Path vcl;

	private final Path workDir;

	private Process process;

	private Path log;

	private VarnishProcess(Path binary, int port, Path vcl, Path workDir) {
		this.binary = binary;
		this.port = port;
		this.vcl = vcl;
		this.workDir = workDir;
	}

	/**
	 * Skip the calling test where {@code varnishd} is not installed, or fail it in CI.
	 */
	public static void assumeInstalled() {
		if (binary() == null) {
			String message = "varnishd is not installed (Debian: apt-get install varnish varnish-modules), "
					+ "so the tests through Varnish are skipped.";
			if (System.getenv("CI") != null) {
				Assertions.fail(message + " The CI environment variable is set, so this is a failure, not a skip.");
			}
			Assumptions.abort(message);
		}
	}

	/**
	 * A free loopback port for a Varnish to start on later, so that the application in
	 * its back can be told where to send its purges before Varnish starts.
	 * @return the port
	 */
	public static int freePort() {
		return RedisServerProcess.freePort();
	}

	/**
	 * Start Varnish with the shipped VCL, its backend set to an application on this host.
	 * @param port the port Varnish listens on, on 127.0.0.1
	 * @param backendPort the port of the application
	 * @return the running Varnish
	 */
	public static VarnishProcess start(int port, int backendPort) {
		Path binary = binary();
		if (binary == null) {
			throw new IllegalStateException("varnishd is not installed");
		}
		try {
			Path workDir = Files.createTempDirectory("varnish-" + port + "-");
			String shipped = Files.readString(shippedVcl());
			String vcl = shipped.replace(".port = \"8080\";", ".port = \"" + backendPort + "\";");
			if (vcl.equals(shipped) && backendPort != 8080) {
				throw new IllegalStateException(VCL + " names no backend port \"8080\" to replace");
			}
			Path vclFile = workDir.resolve("pagecache.vcl");
			Files.writeString(vclFile, vcl);
			VarnishProcess varnish = new VarnishProcess(binary, port, vclFile, workDir);
			varnish.startProcess();
			return varnish;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The shipped VCL, found from the working directory (a module's) upwards.
	 * @return its path
	 */
	public static Path shippedVcl() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path vcl = dir.resolve(VCL);
			if (Files.isRegularFile(vcl)) {
				return vcl;
			}
		}
		throw new IllegalStateException(VCL + " not found above " + Path.of("").toAbsolutePath());
	}

	public int getPort() {
		return this.port;
	}

	/**
	 * The base URL of this Varnish, to purge it or to read through it.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String getUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** Stop Varnish, as an outage would; its cache is lost. */
	public synchronized void stop() {
		if (this.process != null) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
			RedisServerProcess.waitFor(this.process);
			this.process = null;
			awaitClosed();
		}
	}

	/** Start Varnish again on the same port, with an empty cache. */
	public synchronized void restart() {
		stop();
		startProcess();
	}

	@Override
	public synchronized void close() {
		stop();
		try (Stream<Path> files = Files.walk(this.workDir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	private synchronized void startProcess() {
		List<String> command = List.of(this.binary.toString(), "-j", "none", "-F", "-a", "127.0.0.1:" + this.port, "-f",
				this.vcl.toString(), "-n", this.workDir.resolve("instance").toString(), "-s", "malloc,64m", "-p",
				"ban_lurker_sleep=0.01");
		try {
			this.log = Files.createTempFile(this.workDir, "varnishd-", ".log");
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + this.binary, ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.binary + " exited with " + this.process.exitValue() + ": " + log());
			}
			if (accepts()) {
				return;
			}
			sleepBriefly();
		}
		stop();
		throw new IllegalStateException(this.binary + " did not listen within " + START_TIMEOUT + ": " + log());
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void awaitClosed() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (accepts() && System.nanoTime() < deadline) {
			sleepBriefly();
		}
	}

	private String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static Path binary() {
		String configured = System.getenv("PAGECACHE_TEST_VARNISHD");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		String path = System.getenv("PATH");
		for (String dir : ((path != null) ? path + ":/usr/sbin:/usr/local/sbin" : "/usr/sbin").split(":")) {
			Path candidate = Path.of(dir, "varnishd");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
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
