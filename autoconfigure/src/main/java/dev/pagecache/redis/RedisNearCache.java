package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;

/**
 * An in-process tier in front of a {@link RedisPageStore}: pages that were read from
 * Redis are served from this instance's memory, without a round trip, for as long as this
 * instance can prove that it has heard of every invalidation since. Set on the store with
 * {@link RedisPageStore#setNearCache(RedisNearCache)}.
 * <p>
 * How it stays fresh on every instance:
 * <ul>
 * <li>Every invalidation and clear is published, in the same script that records it, on
 * the channel {@code {ns}:near} with the new value of the invalidation counter and the
 * epoch. A near cache applies them in order; a counter value that does not follow the
 * last one it applied (a message was lost, for example while its connection was down) or
 * another epoch drops everything it holds.</li>
 * <li>Every {@code heartbeatInterval}, a script renews this cache's lease
 * ({@code {ns}:n}, expiry on the server's clock) and publishes a ping with the counter
 * and epoch of that moment. Pub/sub keeps the order of one server, so when the ping
 * arrives, every invalidation published before it has arrived too: if the counter differs
 * from the last one applied, everything is dropped. The ping also makes this cache
 * <em>trusted</em> until the time it was sent plus the lease. It serves pages only while
 * trusted: a cache whose connection dropped, or whose Redis went away, stops serving
 * within the lease.</li>
 * <li>A writer waits, after its invalidation, until each near cache whose lease runs has
 * acknowledged it ({@code {ns}:a}) or its lease has expired, which also ends that cache's
 * trust. So when an invalidation returns, no instance serves a page that it dropped.</li>
 * <li>A page read from Redis is kept only if no invalidation was applied here since the
 * counter value read with it; each page also has a maximum age and never outlives its
 * entry's TTL.</li>
 * </ul>
 * Bounded by the estimated size of its pages; the oldest page goes first when it is full.
 *
 * @author pagecache
 */
public final class RedisNearCache implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RedisNearCache.class);

	private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");

	private static final LuaScript ACK = LuaScript.load("ack");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RedisConnectionFactory connectionFactory;

	private final RedisKeys keys;

	private final long maxBytes;

	private final long maxAgeNanos;

	private final Duration heartbeatInterval;

	private final long leaseNanos;

	private final String name = newName();

	private final byte[] nameBytes = RedisKeys.bytes(this.name);

	private final Map<String, Cached> pages = new ConcurrentHashMap<>();

	/** The pages in the order they came, for eviction; guarded by {@code this}. */
	private final LinkedHashMap<String, Cached> arrivals = new LinkedHashMap<>();

	/** The keys of the pages of each tag; guarded by {@code this}. */
	private final Map<String, Set<String>> keysByTag = new HashMap<>();

	/** Guarded by {@code this}. */
	private long bytes;

	/**
	 * The counter value of the last invalidation applied; -1 before the first message.
	 * Guarded.
	 */
	private long applied = -1;

	/** The epoch of the pages held; guarded by {@code this}. */
	private @Nullable String epoch;

	/** Until when (on {@link System#nanoTime()}) pages may be served. */
	private volatile long trustedUntil;

	private volatile boolean trusted;

	private final Map<Long, Long> pings = new ConcurrentHashMap<>();

	private final AtomicLong pingNumbers = new AtomicLong();

	private final AtomicBoolean ackPending = new AtomicBoolean();

	/** The last acknowledgement written, so that pings that change nothing write none. */
	private volatile @Nullable String acknowledged;

	private final LongAdder hits = new LongAdder();

	private final LongAdder flushes = new LongAdder();

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Guards {@link #subscription}; never held while the monitor of the pages is wanted.
	 */
	private final Object subscriptionLock = new Object();

	private @Nullable RedisConnection subscription;

	private volatile boolean running;

	/**
	 * Create a near cache, to be {@linkplain RedisPageStore#setNearCache(RedisNearCache)
	 * set on the store} of the same namespace and {@linkplain #start() started}.
	 * @param connectionFactory the connection factory of the store
	 * @param namespace the namespace of the store
	 * @param maxBytes the most bytes it holds, estimated from the pages' sizes
	 * @param maxAge the longest a page is served from it
	 * @param heartbeatInterval how often it renews its lease and checks that it heard
	 * every invalidation
	 * @param lease how long a heartbeat lets it serve pages: also the longest an
	 * invalidation waits for an instance that does not acknowledge it; at least twice the
	 * heartbeat interval
	 */
	public RedisNearCache(RedisConnectionFactory connectionFactory, String namespace, long maxBytes, Duration maxAge,
			Duration heartbeatInterval, Duration lease) {
		Assert.isTrue(maxBytes > 0, "'maxBytes' must be positive");
		Assert.isTrue(maxAge.toMillis() > 0, "'maxAge' must be at least 1 ms");
		Assert.isTrue(heartbeatInterval.toMillis() > 0, "'heartbeatInterval' must be at least 1 ms");
		Assert.isTrue(lease.compareTo(heartbeatInterval.multipliedBy(2)) >= 0,
				"'lease' must be at least twice the heartbeat interval");
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		this.connectionFactory = connectionFactory;
		this.keys = new RedisKeys(namespace);
		this.maxBytes = maxBytes;
		this.maxAgeNanos = maxAge.toNanos();
		this.heartbeatInterval = heartbeatInterval;
		this.leaseNanos = lease.toNanos();
	}

	/**
	 * The page for a key, if held and this cache is trusted.
	 * @param key the page key
	 * @return the lookup of the page as read from Redis, or {@code null}
	 */
	@Nullable PageLookup get(String key) {
		Cached cached = this.pages.get(key);
		if (cached == null || !this.trusted) {
			return null;
		}
		long now = System.nanoTime();
		if (now - this.trustedUntil >= 0) {
			this.trusted = false;
			return null;
		}
		if (now - cached.expiresAt >= 0) {
			return null;
		}
		this.hits.increment();
		return cached.lookup;
	}

	/**
	 * Keep a page read from Redis, unless an invalidation was applied here since it was
	 * read.
	 * @param key the page key
	 * @param lookup the lookup that read the page
	 * @param timeToLive how long the page still lives in Redis, in milliseconds
	 */
	void offer(String key, PageLookup lookup, long timeToLive) {
		PageEntry entry = lookup.entry();
		if (entry == null || !this.trusted) {
			return;
		}
		long size = entry.estimatedSize() + key.length() * 2L;
		long now = System.nanoTime();
		long remaining = TimeUnit.MILLISECONDS.toNanos(timeToLive);
		if (size > this.maxBytes / 4 || remaining <= 0 || hasLineBreak(entry.tags())) {
			return;
		}
		Cached cached = new Cached(key, lookup, now + Math.min(remaining, this.maxAgeNanos), size);
		synchronized (this) {
			if (this.applied < 0 || this.applied > lookup.sequence() || this.epoch == null
					|| !this.epoch.equals(lookup.epoch())) {
				return;
			}
			remove(key);
			this.pages.put(key, cached);
			this.arrivals.put(key, cached);
			for (String tag : entry.tags()) {
				this.keysByTag.computeIfAbsent(tag, (t) -> new HashSet<>()).add(key);
			}
			this.bytes += size;
			evict();
		}
	}

	/**
	 * Whether this cache has applied an invalidation, or does not serve pages anyway.
	 * @param sequence the invalidation's counter value
	 * @param invalidationEpoch the epoch it was published with
	 * @return {@code true} if no page it dropped can be served here
	 */
	synchronized boolean hasApplied(long sequence, String invalidationEpoch) {
		return (invalidationEpoch.equals(this.epoch) && this.applied >= sequence) || !this.trusted
				|| System.nanoTime() - this.trustedUntil >= 0;
	}

	String getName() {
		return this.name;
	}

	byte[] getChannel() {
		return this.keys.channel();
	}

	/**
	 * The pages served from this cache so far.
	 * @return the number of hits
	 */
	public long getHits() {
		return this.hits.sum();
	}

	/**
	 * How often this cache dropped everything: a lost invalidation, a clear, a new epoch.
	 * @return the number of flushes
	 */
	public long getFlushes() {
		return this.flushes.sum();
	}

	/**
	 * The number of pages held.
	 * @return the number of pages
	 */
	public int size() {
		return this.pages.size();
	}

	/**
	 * Whether this cache serves pages now: it has heard its own ping within the lease.
	 * @return {@code true} if trusted
	 */
	public boolean isTrusted() {
		return this.trusted && System.nanoTime() - this.trustedUntil < 0;
	}

	void onMessage(byte[] body) {
		String[] parts = new String(body, StandardCharsets.UTF_8).split("\n", -1);
		switch (parts[0]) {
			case "i" -> onInvalidation(parts);
			case "c" -> onClear(parseLong(parts[1]), parts[2]);
			case "p" -> onPing(parts);
			default -> logger.debug("Ignoring unknown near cache message " + parts[0]);
		}
	}

	private void onInvalidation(String[] parts) {
		long sequence = parseLong(parts[1]);
		String invalidationEpoch = parts[2];
		synchronized (this) {
			if (sequence != this.applied + 1 || !invalidationEpoch.equals(this.epoch)) {
				resynchronize(sequence, invalidationEpoch);
			}
			else {
				for (int i = 3; i < parts.length; i++) {
					Set<String> tagged = this.keysByTag.remove(parts[i]);
					if (tagged != null) {
						tagged.forEach(this::remove);
					}
				}
				this.applied = sequence;
			}
		}
		acknowledge();
	}

	private void onClear(long sequence, String clearEpoch) {
		synchronized (this) {
			resynchronize(sequence, clearEpoch);
		}
		acknowledge();
	}

	private void onPing(String[] parts) {
		long sequence = parts[3].isEmpty() ? -1 : parseLong(parts[3]);
		String pingEpoch = parts[4];
		boolean mine = this.name.equals(parts[1]);
		Long sentAt = mine ? this.pings.remove(parseLong(parts[2])) : null;
		synchronized (this) {
			if (sequence < 0 || pingEpoch.isEmpty()) {
				// Redis has no epoch: it lost its data, or was never used; nothing can be
				// trusted
				resynchronize(-1, null);
				this.trusted = false;
				return;
			}
			if (sequence != this.applied || !pingEpoch.equals(this.epoch)) {
				resynchronize(sequence, pingEpoch);
			}
			if (sentAt != null) {
				long until = sentAt + this.leaseNanos;
				if (!this.trusted || until - this.trustedUntil > 0) {
					this.trustedUntil = until;
				}
				this.trusted = true;
			}
		}
		acknowledge();
	}

	/**
	 * Drop everything and continue from a counter value and epoch. Called with the lock
	 * held.
	 */
	private void resynchronize(long sequence, @Nullable String newEpoch) {
		if (!this.pages.isEmpty()) {
			this.flushes.increment();
		}
		this.pages.clear();
		this.arrivals.clear();
		this.keysByTag.clear();
		this.bytes = 0;
		this.applied = sequence;
		this.epoch = newEpoch;
	}

	private void evict() {
		Iterator<Cached> oldest = this.arrivals.values().iterator();
		long now = System.nanoTime();
		while (oldest.hasNext()) {
			Cached cached = oldest.next();
			if (this.bytes <= this.maxBytes && now - cached.expiresAt < 0) {
				break;
			}
			oldest.remove();
			this.pages.remove(cached.key);
			this.bytes -= cached.size;
		}
	}

	private void acknowledge() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null && this.ackPending.compareAndSet(false, true)) {
			try {
				executor.execute(this::sendAcknowledgement);
			}
			catch (RejectedExecutionException ex) {
				this.ackPending.set(false); // stopping
			}
		}
	}

	private void sendAcknowledgement() {
		this.ackPending.set(false);
		String acknowledgement;
		synchronized (this) {
			if (this.epoch == null) {
				return;
			}
			acknowledgement = this.applied + "\n" + this.epoch;
		}
		if (acknowledgement.equals(this.acknowledged)) {
			return;
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			ACK.run(connection, ReturnType.INTEGER, 1, this.keys.acknowledgements(), this.nameBytes,
					RedisKeys.bytes(acknowledgement),
					RedisKeys.bytes(Long.toString(RedisPageStore.META_TTL.toMillis())));
			this.acknowledged = acknowledgement;
		}
		catch (RuntimeException ex) {
			logger.debug("Near cache could not acknowledge invalidations: " + ex.getMessage());
		}
	}

	void heartbeat() {
		try {
			subscribe();
			long number = this.pingNumbers.incrementAndGet();
			long now = System.nanoTime();
			this.pings.put(number, now);
			this.pings.values().removeIf((sentAt) -> now - sentAt > this.leaseNanos);
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				HEARTBEAT.run(connection, ReturnType.INTEGER, 4, this.keys.sequence(), this.keys.epoch(),
						this.keys.leases(), this.keys.acknowledgements(), this.nameBytes,
						RedisKeys.bytes(Long.toString(TimeUnit.NANOSECONDS.toMillis(this.leaseNanos))),
						this.keys.channel(), RedisKeys.bytes(Long.toString(number)));
			}
		}
		catch (RuntimeException ex) {
			logger.debug(
					"Near cache heartbeat failed; pages are served from Redis until it succeeds: " + ex.getMessage());
		}
	}

	/**
	 * Subscribe to the channel unless subscribed. Messages are delivered on a Lettuce
	 * thread that takes the monitor of the pages, and subscribing and closing wait for
	 * that thread, so this runs without it.
	 */
	private void subscribe() {
		synchronized (this.subscriptionLock) {
			RedisConnection current = this.subscription;
			if (current != null && current.isSubscribed()) {
				return;
			}
			if (current != null) {
				closeQuietly(current);
				this.subscription = null;
			}
			if (!this.running) {
				return;
			}
			RedisConnection connection = this.connectionFactory.getConnection();
			try {
				connection.subscribe((Message message, byte @Nullable [] pattern) -> onMessage(message.getBody()),
						this.keys.channel());
				this.subscription = connection;
			}
			catch (RuntimeException ex) {
				closeQuietly(connection);
				throw ex;
			}
		}
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "pagecache-near-cache");
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		long interval = this.heartbeatInterval.toMillis();
		this.running = true;
		executor.scheduleWithFixedDelay(this::heartbeat, 0, interval, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		this.running = false;
		this.trusted = false;
		synchronized (this.subscriptionLock) {
			RedisConnection current = this.subscription;
			if (current != null) {
				closeQuietly(current);
				this.subscription = null;
			}
		}
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
		synchronized (this) {
			resynchronize(-1, null);
		}
	}

	/**
	 * Drop the page of a key, which this instance is about to replace.
	 * @param key the page key
	 */
	synchronized void remove(String key) {
		Cached cached = this.pages.remove(key);
		if (cached != null) {
			this.arrivals.remove(key);
			this.bytes -= cached.size;
			// the key stays in the sets of its other tags until they are invalidated:
			// more, never less
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the connection factory starts, and stopped before it.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 100;
	}

	private static void closeQuietly(RedisConnection connection) {
		try {
			connection.close();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not close the near cache's subscription: " + ex.getMessage());
		}
	}

	private static boolean hasLineBreak(Set<String> tags) {
		for (String tag : tags) {
			if (tag.indexOf('\n') >= 0) {
				return true;
			}
		}
		return false;
	}

	private static long parseLong(String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return -2;
		}
	}

	private static String newName() {
		byte[] bytes = new byte[9];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private record Cached(String key, PageLookup lookup, long expiresAt, long size) {
	}

}
