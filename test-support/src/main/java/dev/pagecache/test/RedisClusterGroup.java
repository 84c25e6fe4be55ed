package dev.pagecache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A Redis Cluster of three primaries, each with one replica: six real
 * {@code redis-server --cluster-enabled yes} processes on loopback ports, joined with
 * {@code CLUSTER MEET}, {@code CLUSTER ADDSLOTS} and {@code CLUSTER REPLICATE} (what
 * {@code redis-cli --cluster create ... --cluster-replicas 1} does, without needing
 * {@code redis-cli}, which the embedded-redis artifact does not ship).
 * <p>
 * An application connects with {@code spring.data.redis.cluster.nodes} set to
 * {@link #getNodes()}. Nodes take a peer for failed after 1 s without an answer
 * ({@code cluster-node-timeout}), so a test can {@linkplain #killPrimaryOf(int) kill the
 * primary that holds a slot} and {@linkplain #awaitHealthy() wait} until its replica has
 * taken over. The processes run the binary {@link RedisServerProcess} selects; they are
 * stopped on {@link #close()}, or when the JVM exits.
 *
 * @author pagecache
 */
public final class RedisClusterGroup implements AutoCloseable {

	/** How many slots Redis Cluster has. */
	public static final int SLOTS = 16384;

	private static final int PRIMARIES = 3;

	private static final long NODE_TIMEOUT_MILLIS = 1000;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** Redis 6.2 listens for the cluster bus on the port plus this. */
	private static final int BUS_PORT_OFFSET = 10000;

	private final Path directory;

	private final List<RedisServerProcess> nodes = new ArrayList<>();

	private final List<RedisServerProcess> killed = new ArrayList<>();

	private final List<RedisServerProcess> paused = new ArrayList<>();

	private final Thread shutdownHook = new Thread(this::close, "redis-cluster-group-stop");

	private RedisClusterGroup(Path directory) {
		this.directory = directory;
	}

	/**
	 * Start six nodes, give each primary a third of the slots and a replica, and wait
	 * until every node reports the cluster ok.
	 * @return the running cluster
	 */
	public static RedisClusterGroup start() {
		RedisClusterGroup group;
		try {
			group = new RedisClusterGroup(Files.createTempDirectory("pagecache-cluster"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(group.shutdownHook);
		try {
			group.startNodes();
			return group;
		}
		catch (RuntimeException ex) {
			group.close();
			throw ex;
		}
	}

	/**
	 * The nodes' addresses.
	 * @return the value of {@code spring.data.redis.cluster.nodes}
	 */
	public synchronized String getNodes() {
		return this.nodes.stream()
			.filter(RedisServerProcess::isRunning)
			.map((node) -> node.getHost() + ":" + node.getPort())
			.collect(Collectors.joining(","));
	}

	/**
	 * The running nodes.
	 * @return the nodes, primaries and replicas
	 */
	public synchronized List<RedisServerProcess> getRunningNodes() {
		return this.nodes.stream().filter(RedisServerProcess::isRunning).toList();
	}

	/**
	 * The primary that serves a slot now.
	 * @param slot the slot, {@code 0} to {@code 16383}
	 * @return the primary
	 */
	public synchronized RedisServerProcess primaryOf(int slot) {
		for (RedisServerProcess node : getRunningNodes()) {
			if (isPrimary(node) && servesSlot(node, slot)) {
				return node;
			}
		}
		throw new IllegalStateException("No running primary serves slot " + slot + ": " + describe());
	}

	/**
	 * Kill the primary that serves a slot; its replica takes over once the others take it
	 * for failed ({@link #awaitHealthy()}).
	 * @param slot the slot
	 * @return the killed primary
	 */
	public synchronized RedisServerProcess killPrimaryOf(int slot) {
		RedisServerProcess primary = primaryOf(slot);
		primary.kill();
		this.killed.add(primary);
		return primary;
	}

	/**
	 * Move a slot to another primary, as {@code redis-cli --cluster reshard} does: the
	 * target imports it, the source migrates it, its keys move in batches with
	 * {@code MIGRATE} (a pause between two batches, so that clients meet the slot half
	 * moved, with {@code ASK} and {@code TRYAGAIN} replies), then every primary is told
	 * the slot's new owner (clients get {@code MOVED} from then on).
	 * @param slot the slot
	 * @param batch the most keys one {@code MIGRATE} moves
	 * @param pause the pause after each batch
	 * @return the primary that serves the slot now
	 */
	public synchronized RedisServerProcess migrateSlot(int slot, int batch, Duration pause) {
		RedisServerProcess source = primaryOf(slot);
		RedisServerProcess target = getRunningNodes().stream()
			.filter((node) -> node != source && isPrimary(node))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No other primary to move slot " + slot + " to"));
		String sourceId = source.command("CLUSTER", "MYID");
		String targetId = target.command("CLUSTER", "MYID");
		String slotName = Integer.toString(slot);
		expectOk(target.command("CLUSTER", "SETSLOT", slotName, "IMPORTING", sourceId));
		expectOk(source.command("CLUSTER", "SETSLOT", slotName, "MIGRATING", targetId));
		while (true) {
			String keys = source.command("CLUSTER", "GETKEYSINSLOT", slotName, Integer.toString(batch));
			if (keys.isEmpty()) {
				break;
			}
			List<String> migrate = new ArrayList<>(
					List.of("MIGRATE", target.getHost(), Integer.toString(target.getPort()), "", "0", "5000", "KEYS"));
			migrate.addAll(keys.lines().toList());
			String reply = source.command(migrate.toArray(String[]::new));
			if (!reply.startsWith("+OK") && !reply.startsWith("+NOKEY")) {
				throw new IllegalStateException("MIGRATE of slot " + slot + " refused: " + reply);
			}
			sleep(pause);
		}
		expectOk(target.command("CLUSTER", "SETSLOT", slotName, "NODE", targetId));
		expectOk(source.command("CLUSTER", "SETSLOT", slotName, "NODE", targetId));
		for (RedisServerProcess node : getRunningNodes()) {
			if (node != source && node != target && isPrimary(node)) {
				expectOk(node.command("CLUSTER", "SETSLOT", slotName, "NODE", targetId));
			}
		}
		return target;
	}

	/**
	 * Cut the link of the replica of the primary that serves a slot: the replica is
	 * suspended ({@code SIGSTOP}) and the primary closes its replication link, so that
	 * what the primary acknowledges next never reaches the replica, until
	 * {@link #resumeReplicas()}.
	 * @param slot the slot
	 * @return the suspended replica
	 */
	public synchronized RedisServerProcess cutReplicaLinkOf(int slot) {
		RedisServerProcess primary = primaryOf(slot);
		String primaryId = primary.command("CLUSTER", "MYID");
		RedisServerProcess replica = getRunningNodes().stream()
			.filter((node) -> myself(node).contains("slave " + primaryId))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No replica of the primary on port " + primary.getPort()));
		replica.pause();
		this.paused.add(replica);
		String closed = primary.command("CLIENT", "KILL", "TYPE", "replica");
		if (!closed.equals(":1")) {
			throw new IllegalStateException("CLIENT KILL TYPE replica closed " + closed + " links, not :1");
		}
		return replica;
	}

	/**
	 * Resume the replicas suspended by {@link #cutReplicaLinkOf(int)}: each reconnects to
	 * its primary if it is still there, and takes over from it otherwise.
	 */
	public synchronized void resumeReplicas() {
		this.paused.forEach(RedisServerProcess::resume);
		this.paused.clear();
	}

	/**
	 * Wait until every running node reports the cluster ok and every slot is served by a
	 * running primary.
	 */
	public synchronized void awaitHealthy() {
		await("a cluster whose every slot is served (" + describe() + ")",
				() -> getRunningNodes().stream().allMatch(RedisClusterGroup::reportsOk) && everySlotServed());
	}

	@Override
	public synchronized void close() {
		resumeReplicas();
		Stream.concat(this.nodes.stream(), this.killed.stream()).forEach(RedisServerProcess::close);
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: this is the hook
		}
		deleteDirectory();
	}

	private synchronized void startNodes() {
		for (int i = 0; i < 2 * PRIMARIES; i++) {
			int port = freeClusterPort();
			Path dir = this.directory.resolve(Integer.toString(port));
			try {
				Files.createDirectories(dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			// a replica writes the primary's snapshot to its directory
			this.nodes.add(RedisServerProcess.start(port,
					List.of("--dir", dir.toString(), "--cluster-enabled", "yes", "--cluster-config-file",
							dir.resolve("nodes.conf").toString(), "--cluster-node-timeout",
							Long.toString(NODE_TIMEOUT_MILLIS))));
		}
		RedisServerProcess first = this.nodes.get(0);
		for (RedisServerProcess node : this.nodes.subList(1, this.nodes.size())) {
			expectOk(node.command("CLUSTER", "MEET", first.getHost(), Integer.toString(first.getPort())));
		}
		for (int i = 0; i < PRIMARIES; i++) {
			int from = SLOTS * i / PRIMARIES;
			int to = SLOTS * (i + 1) / PRIMARIES;
			String[] command = Stream
				.concat(Stream.of("CLUSTER", "ADDSLOTS"), IntStream.range(from, to).mapToObj(Integer::toString))
				.toArray(String[]::new);
			expectOk(this.nodes.get(i).command(command));
		}
		await("every node knowing the six", () -> this.nodes.stream().allMatch((node) -> knownNodes(node) == 6));
		replicatePrimaries();
		awaitHealthy();
	}

	private void replicatePrimaries() {
		for (int i = 0; i < PRIMARIES; i++) {
			String primaryId = this.nodes.get(i).command("CLUSTER", "MYID");
			RedisServerProcess replica = this.nodes.get(PRIMARIES + i);
			await("the replica on port " + replica.getPort() + " replicating",
					() -> replica.command("CLUSTER", "REPLICATE", primaryId).startsWith("+OK"));
		}
		// a replica that never synchronised does not take over from a failed primary
		for (RedisServerProcess replica : this.nodes.subList(PRIMARIES, this.nodes.size())) {
			await("the replica on port " + replica.getPort() + " in sync",
					() -> replica.command("INFO", "replication").contains("master_link_status:up"));
		}
	}

	private boolean everySlotServed() {
		int served = 0;
		for (RedisServerProcess node : getRunningNodes()) {
			if (isPrimary(node)) {
				served += slotsOf(node).stream().mapToInt((range) -> range[1] - range[0] + 1).sum();
			}
		}
		return served == SLOTS;
	}

	private static boolean reportsOk(RedisServerProcess node) {
		return node.command("CLUSTER", "INFO").contains("cluster_state:ok");
	}

	private static boolean isPrimary(RedisServerProcess node) {
		return myself(node).contains("master");
	}

	private static boolean servesSlot(RedisServerProcess node, int slot) {
		return slotsOf(node).stream().anyMatch((range) -> range[0] <= slot && slot <= range[1]);
	}

	/**
	 * The slot ranges a node's own line of {@code CLUSTER NODES} lists.
	 */
	private static List<int[]> slotsOf(RedisServerProcess node) {
		String[] fields = myself(node).split(" ");
		List<int[]> ranges = new ArrayList<>();
		for (int i = 8; i < fields.length; i++) {
			if (fields[i].startsWith("[")) {
				continue; // a slot being imported or migrated
			}
			String[] bounds = fields[i].split("-");
			int from = Integer.parseInt(bounds[0]);
			ranges.add(new int[] { from, (bounds.length > 1) ? Integer.parseInt(bounds[1]) : from });
		}
		return ranges;
	}

	private static String myself(RedisServerProcess node) {
		return node.command("CLUSTER", "NODES")
			.lines()
			.filter((line) -> line.contains("myself"))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No 'myself' line from the node on port " + node.getPort()));
	}

	private static long knownNodes(RedisServerProcess node) {
		return node.command("CLUSTER", "NODES").lines().filter((line) -> !line.isBlank()).count();
	}

	private static void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void expectOk(String reply) {
		if (!reply.startsWith("+OK")) {
			throw new IllegalStateException("Redis Cluster set-up refused: " + reply);
		}
	}

	/**
	 * A free loopback port whose cluster bus port (the port plus 10000) is free too and
	 * valid.
	 */
	private static int freeClusterPort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
			if (isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
				return port;
			}
		}
		throw new IllegalStateException("No free pair of ports for a cluster node");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return socket.isBound();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Timed out waiting for " + what);
			}
			sleep(Duration.ofMillis(50));
		}
	}

	private String describe() {
		return getRunningNodes().stream()
			.map((node) -> node.getPort() + (isPrimary(node) ? " primary" : " replica"))
			.collect(Collectors.joining(", "));
	}

	private void deleteDirectory() {
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// temporary files: the operating system cleans up what is left
		}
	}

}
