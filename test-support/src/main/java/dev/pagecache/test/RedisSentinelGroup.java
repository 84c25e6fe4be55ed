package dev.pagecache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Redis primary with one replica, watched by three Sentinels (quorum 2), each a real
 * process on a free loopback port, for tests of what a failover does to the cache.
 * <p>
 * An application finds the primary through the Sentinels:
 * {@code spring.data.redis.sentinel.master} is {@link #getMasterName()} and
 * {@code spring.data.redis.sentinel.nodes} is {@link #getSentinelNodes()}. The Sentinels
 * take a primary for down after 500 ms without an answer, so a failover takes a few
 * seconds. A test can {@linkplain #cutReplicaLink() cut the replica's link} so that what
 * the primary acknowledges next never reaches the replica, {@linkplain #killPrimary()
 * kill the primary}, {@linkplain #awaitPromotion() wait for the replica's promotion}, and
 * {@linkplain #restoreReplica() start the killed server again} as a replica of the new
 * primary, ready for the next failover. The processes run the binary
 * {@link RedisServerProcess} selects; they are stopped on {@link #close()}, or when the
 * JVM exits.
 *
 * @author pagecache
 */
public final class RedisSentinelGroup implements AutoCloseable {

	private static final String MASTER_NAME = "pagecache";

	private static final int SENTINELS = 3;

	private static final int QUORUM = 2;

	private static final long DOWN_AFTER_MILLIS = 500;

	/**
	 * Also the least time between two failovers of the primary, which is twice this.
	 */
	private static final long FAILOVER_TIMEOUT_MILLIS = 2000;

	/**
	 * Longer than a Sentinel's TILT mode (30 s), which a machine too busy to run its
	 * timer for two seconds puts it in.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final Path directory;

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private final List<RedisServerProcess> sentinels = new ArrayList<>();

	private final Thread shutdownHook = new Thread(this::close, "redis-sentinel-group-stop");

	private RedisServerProcess primary;

	private RedisServerProcess paused;

	private RedisServerProcess killed;

	private RedisSentinelGroup(Path directory) {
		this.directory = directory;
	}

	/**
	 * Start a primary, its replica and three Sentinels, and wait until every Sentinel
	 * knows the replica and the other Sentinels.
	 * @return the running group
	 */
	public static RedisSentinelGroup start() {
		RedisSentinelGroup group;
		try {
			group = new RedisSentinelGroup(Files.createTempDirectory("pagecache-sentinel"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(group.shutdownHook);
		try {
			group.startProcesses();
			return group;
		}
		catch (RuntimeException ex) {
			group.close();
			throw ex;
		}
	}

	/**
	 * The name the Sentinels know the primary by.
	 * @return the value of {@code spring.data.redis.sentinel.master}
	 */
	public String getMasterName() {
		return MASTER_NAME;
	}

	/**
	 * The Sentinels' addresses.
	 * @return the value of {@code spring.data.redis.sentinel.nodes}
	 */
	public synchronized String getSentinelNodes() {
		return this.sentinels.stream()
			.map((sentinel) -> sentinel.getHost() + ":" + sentinel.getPort())
			.collect(Collectors.joining(","));
	}

	/**
	 * The primary, as the Sentinels last agreed on it.
	 * @return the primary
	 */
	public synchronized RedisServerProcess getPrimary() {
		return this.primary;
	}

	/**
	 * The other data server: the replica, unless the primary was killed and the replica
	 * not promoted yet.
	 * @return the replica
	 */
	public synchronized RedisServerProcess getReplica() {
		return (this.servers.get(0) == this.primary) ? this.servers.get(1) : this.servers.get(0);
	}

	/**
	 * Wait until the replica has applied every write the primary took so far. (A
	 * {@code WAIT} would not do: it waits only for the writes of its own connection.)
	 */
	public synchronized void awaitReplicaInSync() {
		RedisServerProcess replica = getReplica();
		long written = offset(this.primary, "master_repl_offset:");
		await("the replica on port " + replica.getPort() + " at the primary's offset " + written,
				() -> offset(replica, "slave_repl_offset:") >= written);
	}

	/**
	 * Cut the replica off, as a network partition would: suspend the replica
	 * ({@code SIGSTOP}) and close its replication link on the primary
	 * ({@code CLIENT KILL TYPE replica}). The primary goes on acknowledging writes that
	 * the replica never receives, until {@link #resumeReplica()}.
	 */
	public synchronized void cutReplicaLink() {
		RedisServerProcess replica = getReplica();
		replica.pause();
		this.paused = replica;
		String closed = this.primary.command("CLIENT", "KILL", "TYPE", "replica");
		if (!closed.equals(":1")) {
			throw new IllegalStateException("CLIENT KILL TYPE replica closed " + closed + " links, not :1");
		}
	}

	/**
	 * Resume the replica suspended by {@link #cutReplicaLink()}; it reconnects to the
	 * primary if the primary is still there.
	 */
	public synchronized void resumeReplica() {
		if (this.paused != null) {
			this.paused.resume();
			this.paused = null;
		}
	}

	/**
	 * Kill the primary with {@code SIGKILL}: it loses its data, and the Sentinels start a
	 * failover once it has not answered for half a second.
	 */
	public synchronized void killPrimary() {
		this.primary.kill();
		this.killed = this.primary;
	}

	/**
	 * Wait until every Sentinel names the replica as the primary and the replica answers
	 * as one.
	 * @return the new primary
	 */
	public synchronized RedisServerProcess awaitPromotion() {
		if (this.killed == null) {
			throw new IllegalStateException("The primary was not killed");
		}
		RedisServerProcess promoted = getReplica();
		await("the promotion of the replica on port " + promoted.getPort(), () -> everySentinelReports(promoted)
				&& promoted.command("INFO", "replication").contains("role:master"));
		this.primary = promoted;
		return promoted;
	}

	/**
	 * Start the killed primary again, empty, on its port, as a replica of the new
	 * primary, and wait until it has synchronised and every Sentinel knows it.
	 */
	public synchronized void restoreReplica() {
		if (this.killed == null) {
			return;
		}
		if (!this.killed.equals(getReplica())) {
			throw new IllegalStateException("The replica was not promoted yet: call awaitPromotion() first");
		}
		this.killed.restart(dataServerOptions(this.primary));
		this.killed = null;
		awaitHealthy();
	}

	/**
	 * Stop every process and delete their files.
	 */
	@Override
	public synchronized void close() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: this is the hook
		}
		this.sentinels.forEach(RedisServerProcess::close);
		this.servers.forEach(RedisServerProcess::close);
		deleteDirectory();
	}

	private synchronized void startProcesses() {
		this.primary = RedisServerProcess.start(dataServerOptions(null));
		this.servers.add(this.primary);
		this.servers.add(RedisServerProcess.start(dataServerOptions(this.primary)));
		List<Integer> ports = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < SENTINELS; i++) {
			ports.add(RedisServerProcess.freePort());
			ids.add(HexFormat.of().formatHex(randomBytes(20)));
		}
		for (int i = 0; i < SENTINELS; i++) {
			Path config = writeSentinelConfig(i, ports, ids);
			this.sentinels.add(RedisServerProcess.startSentinel(ports.get(i), config));
		}
		awaitHealthy();
	}

	/**
	 * What a data server needs besides the defaults: a directory of the group's own for
	 * the files a replica receives, and a full synchronisation that starts at once.
	 */
	private List<String> dataServerOptions(RedisServerProcess primary) {
		List<String> options = new ArrayList<>(List.of("--dir", this.directory.toString(), "--repl-diskless-sync",
				"yes", "--repl-diskless-sync-delay", "0"));
		if (primary != null) {
			options.addAll(List.of("--replicaof", primary.getHost(), Integer.toString(primary.getPort())));
		}
		return options;
	}

	/**
	 * The configuration of Sentinel {@code index}, which already knows the replica and
	 * the other Sentinels, so that it need not discover them.
	 */
	private Path writeSentinelConfig(int index, List<Integer> ports, List<String> ids) {
		RedisServerProcess replica = getReplica();
		List<String> lines = new ArrayList<>();
		lines.add("sentinel myid " + ids.get(index));
		lines.add("sentinel monitor " + MASTER_NAME + " " + this.primary.getHost() + " " + this.primary.getPort() + " "
				+ QUORUM);
		lines.add("sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS);
		lines.add("sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS);
		lines.add("sentinel known-replica " + MASTER_NAME + " " + replica.getHost() + " " + replica.getPort());
		for (int other = 0; other < SENTINELS; other++) {
			if (other != index) {
				lines.add("sentinel known-sentinel " + MASTER_NAME + " 127.0.0.1 " + ports.get(other) + " "
						+ ids.get(other));
			}
		}
		lines.add("logfile \"" + sentinelLog(ports.get(index)) + "\"");
		Path config = this.directory.resolve("sentinel-" + ports.get(index) + ".conf");
		try {
			Files.write(config, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return config;
	}

	private void awaitHealthy() {
		RedisServerProcess replica = getReplica();
		await("a healthy group (primary on port " + this.primary.getPort() + ", replica on port " + replica.getPort()
				+ ")", () -> everySentinelReports(this.primary) && replicates(replica, this.primary));
	}

	/**
	 * Whether every Sentinel names this server as the primary, knows one replica and the
	 * two other Sentinels, and sees nothing down.
	 */
	private boolean everySentinelReports(RedisServerProcess expected) {
		String state = "status=ok,address=" + expected.getHost() + ":" + expected.getPort() + ",slaves=1,sentinels="
				+ SENTINELS;
		return this.sentinels.stream().allMatch((sentinel) -> sentinel.command("INFO", "sentinel").contains(state));
	}

	private static boolean replicates(RedisServerProcess replica, RedisServerProcess primary) {
		String info = replica.command("INFO", "replication");
		return info.contains("role:slave") && info.contains("master_port:" + primary.getPort())
				&& info.contains("master_link_status:up");
	}

	private static long offset(RedisServerProcess server, String field) {
		for (String line : server.command("INFO", "replication").split("\r\n")) {
			if (line.startsWith(field)) {
				return Long.parseLong(line.substring(field.length()));
			}
		}
		throw new IllegalStateException("No " + field + " in the replication section of port " + server.getPort());
	}

	private void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (condition.getAsBoolean()) {
					return;
				}
			}
			catch (IllegalStateException ex) {
				// a server not listening (yet): ask again
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException("No " + what + " within " + TIMEOUT + "; the Sentinels said:\n" + describe());
	}

	/** What each Sentinel reports, with the end of its log, for a failure message. */
	private String describe() {
		StringBuilder description = new StringBuilder();
		for (RedisServerProcess sentinel : this.sentinels) {
			description.append("Sentinel ").append(sentinel.getPort()).append(": ");
			try {
				String info = sentinel.command("INFO", "sentinel");
				description.append(info.substring(info.indexOf("master0:")).trim());
			}
			catch (RuntimeException ex) {
				description.append(ex.getMessage());
			}
			description.append('\n');
			try (Stream<String> lines = Files.lines(sentinelLog(sentinel.getPort()))) {
				List<String> log = lines.toList();
				log.subList(Math.max(0, log.size() - 15), log.size())
					.forEach((line) -> description.append("  ").append(line).append('\n'));
			}
			catch (IOException | UncheckedIOException ex) {
				description.append("  (no log: ").append(ex.getMessage()).append(")\n");
			}
		}
		return description.toString();
	}

	private Path sentinelLog(int port) {
		return this.directory.resolve("sentinel-" + port + ".log");
	}

	private void deleteDirectory() {
		try (Stream<Path> paths = Files.walk(this.directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// a temporary directory: the system cleans it up eventually
		}
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

}
