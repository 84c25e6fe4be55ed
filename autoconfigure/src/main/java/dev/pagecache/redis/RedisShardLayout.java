package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Keeps the instances that share a namespace from splitting it into different numbers of
 * shards ({@code pagecache.redis.shards}), which would make each miss the invalidations
 * of the others and serve stale pages. Each instance records its number of shards in
 * Redis (a hash {@code pagecache:shards:{namespace}}, one field per instance with the
 * time of Redis, renewed every {@link #INTERVAL} and removed when it stops) and reads the
 * others'. An instance that starts while another splits the namespace differently fails
 * to start, naming the property; one that finds such an instance later (their starts
 * raced, or Redis was not reachable at start-up) logs an error each time it finds a new
 * number. A Redis that cannot be reached does not stop the application from starting: the
 * check runs again with the next renewal.
 *
 * @author pagecache
 */
final class RedisShardLayout implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisShardLayout.class);

	/** How often an instance renews its record. */
	static final Duration INTERVAL = Duration.ofSeconds(30);

	/**
	 * How long a record counts without renewal: an instance that stopped without saying
	 * so.
	 */
	static final Duration STALE_AFTER = INTERVAL.multipliedBy(3);

	private final RedisConnectionFactory connectionFactory;

	private final String namespace;

	private final int shards;

	private final byte[] key;

	private final byte[] instance = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);

	/** The other numbers of shards already reported, so that each is logged once. */
	private final Set<Integer> reported = new TreeSet<>();

	private @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create the record of this instance's split.
	 * @param connectionFactory the store's connection factory
	 * @param namespace the namespace ({@code pagecache.redis.namespace})
	 * @param shards the number of shards this instance splits it into
	 */
	RedisShardLayout(RedisConnectionFactory connectionFactory, String namespace, int shards) {
		this.connectionFactory = connectionFactory;
		this.namespace = namespace;
		this.shards = shards;
		this.key = ("pagecache:shards:{" + namespace + "}").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Record this instance's number of shards and read the others' (dropping records not
	 * renewed for {@link #STALE_AFTER}).
	 * @return the other numbers of shards of running instances, in order
	 * @throws RuntimeException if Redis cannot be reached
	 */
	Set<Integer> announce() {
		Set<Integer> others = new TreeSet<>();
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long time = connection.serverCommands().time();
			long now = (time != null) ? time : System.currentTimeMillis();
			connection.hashCommands()
				.hSet(this.key, this.instance, (this.shards + " " + now).getBytes(StandardCharsets.UTF_8));
			connection.keyCommands().pExpire(this.key, STALE_AFTER.toMillis());
			Map<byte[], byte[]> records = connection.hashCommands().hGetAll(this.key);
			for (Map.Entry<byte[], byte[]> record : (records != null) ? records.entrySet()
					: Set.<Map.Entry<byte[], byte[]>>of()) {
				Integer shards = liveShards(record.getValue(), now);
				if (shards == null) {
					connection.hashCommands().hDel(this.key, record.getKey());
				}
				else if (shards != this.shards) {
					others.add(shards);
				}
			}
		}
		return others;
	}

	/**
	 * The number of shards of a record renewed within {@link #STALE_AFTER}, or
	 * {@code null} for a stale or malformed record.
	 */
	private static @Nullable Integer liveShards(byte[] record, long now) {
		String[] value = new String(record, StandardCharsets.UTF_8).split(" ");
		try {
			return (value.length == 2 && now - Long.parseLong(value[1]) <= STALE_AFTER.toMillis())
					? Integer.valueOf(value[0]) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	@Override
	public void start() {
		Set<Integer> others = announceOrNone();
		if (!others.isEmpty()) {
			removeRecord();
			throw new IllegalStateException(mismatch(others));
		}
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "pagecache-shard-layout");
			thread.setDaemon(true);
			return thread;
		});
		scheduler.scheduleWithFixedDelay(this::renew, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	private void renew() {
		Set<Integer> others = announceOrNone();
		others.removeAll(this.reported);
		if (!others.isEmpty()) {
			this.reported.addAll(others);
			logger.error(mismatch(others));
		}
	}

	private Set<Integer> announceOrNone() {
		try {
			return announce();
		}
		catch (RuntimeException ex) {
			logger.debug("The shards of the Redis page store not checked: " + ex.getMessage());
			return new TreeSet<>();
		}
	}

	private String mismatch(Set<Integer> others) {
		return "Other instances split the Redis page store's namespace '" + this.namespace + "' into " + others
				+ " shards, this one into " + this.shards + " (pagecache.redis.shards): instances that split a "
				+ "namespace differently miss each other's invalidations and serve stale pages. Give every instance "
				+ "the same pagecache.redis.shards (stop the running ones before starting with another), or a "
				+ "pagecache.redis.namespace of its own.";
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler == null) {
			return;
		}
		scheduler.shutdownNow();
		this.scheduler = null;
		try {
			// a renewal under way would write the record again
			scheduler.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		removeRecord();
	}

	private void removeRecord() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.hashCommands().hDel(this.key, this.instance);
		}
		catch (RuntimeException ex) {
			// Redis is not reachable: the record lapses after STALE_AFTER
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * After the connection factory starts, and before the web server does (Boot starts it
	 * in phase {@code Integer.MAX_VALUE - 2048}), so that an instance that would split
	 * the namespace differently fails before it takes a request.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 4096;
	}

}
