package dev.pagecache.redis;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
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
 * the channel {@code {ns}:near-cache} with the new value of the invalidation counter and
 * the epoch. A near cache applies them in order; a counter value that does not follow the
 * last one it applied (a message was lost, for example while its connection was down) or
 * another epoch drops everything it holds.</li>
 * <li>Every {@code heartbeatInterval}, a script renews this cache's registration
 * ({@code {ns}:near-cache:instances}, expiry on the server's clock) and publishes a ping
 * with the counter and epoch of that moment. Pub/sub keeps the order of one server, so
 * when the ping arrives, every invalidation published before it has arrived too: if the
 * counter differs from the last one applied, everything is dropped. The ping also makes
 * this cache <em>trusted</em> until the time it was sent plus the registration. It serves
 * pages only while trusted: a cache whose connection dropped, or whose Redis went away,
 * stops serving within the registration.</li>
 * <li>A writer waits, after its invalidation, until each registered near cache has
 * acknowledged it ({@code {ns}:near-cache:acknowledged}) or its registration has expired,
 * which also ends that cache's trust. So when an invalidation returns, no instance serves
 * a page that it dropped.</li>
 * <li>A page read from Redis is kept only if no invalidation was applied here since the
 * counter value read with it; each page also has a maximum age and never outlives its
 * entry's TTL.</li>
 * </ul>
 * Bounded by the estimated size of its pages; the oldest page goes first when it is full.
 * The parts: {@code NearCacheMessage} (the wire format), {@code NearCacheSynchronization}
 * (the state machine), {@code NearCacheEntries} (the pages) and {@code NearCacheChannel}
 * (subscription, heartbeat and acknowledgements).
 *
 * @author pagecache
 */
final class RedisNearCache implements SmartLifecycle {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RedisKeys keys;

	private final long maxBytes;

	private final long maxAgeNanos;

	private final Duration registration;

	private final String name = newName();

	/** The pages, read here without a lock; written by the synchronization. */
	private final Map<String, NearCacheEntry> pages;

	private final NearCacheSynchronization synchronization;

	private final NearCacheChannel channel;

	private final LongAdder hits = new LongAdder();

	/**
	 * Create a near cache, to be {@linkplain RedisPageStore#setNearCache(RedisNearCache)
	 * set on the store} of the same namespace and {@linkplain #start() started}.
	 * @param connectionFactory the connection factory of the store
	 * @param namespace the namespace of the store
	 * @param maxBytes the most bytes it holds, estimated from the pages' sizes
	 * @param maxAge the longest a page is served from it
	 * @param heartbeatInterval how often it renews its registration and checks that it
	 * heard every invalidation
	 * @param registration how long a heartbeat lets it serve pages: also the longest an
	 * invalidation waits for an instance that does not acknowledge it; at least twice the
	 * heartbeat interval
	 */
	RedisNearCache(RedisConnectionFactory connectionFactory, String namespace, long maxBytes, Duration maxAge,
			Duration heartbeatInterval, Duration registration) {
		this(connectionFactory, namespace, maxBytes, maxAge, heartbeatInterval, registration,
				new NearCacheSubscription(connectionFactory));
	}

	/**
	 * Create a near cache that shares its subscription and thread with the near caches of
	 * the other shards of the store, as
	 * {@link #RedisNearCache(RedisConnectionFactory, String, long, Duration, Duration, Duration)}
	 * describes.
	 */
	RedisNearCache(RedisConnectionFactory connectionFactory, String namespace, long maxBytes, Duration maxAge,
			Duration heartbeatInterval, Duration registration, NearCacheSubscription subscription) {
		Assert.isTrue(maxBytes > 0, "'maxBytes' must be positive");
		Assert.isTrue(maxAge.toMillis() > 0, "'maxAge' must be at least 1 ms");
		Assert.isTrue(heartbeatInterval.toMillis() > 0, "'heartbeatInterval' must be at least 1 ms");
		Assert.isTrue(registration.compareTo(heartbeatInterval.multipliedBy(2)) >= 0,
				"'registration' must be at least twice the heartbeat interval");
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		this.keys = new RedisKeys(namespace);
		this.maxBytes = maxBytes;
		this.maxAgeNanos = maxAge.toNanos();
		this.registration = registration;
		NearCacheEntries entries = new NearCacheEntries(maxBytes);
		this.pages = entries.readView();
		this.synchronization = new NearCacheSynchronization(this.name, registration.toNanos(), entries);
		this.channel = new NearCacheChannel(connectionFactory, this.keys, this.name, heartbeatInterval, registration,
				this.synchronization, subscription);
	}

	/**
	 * The page for a key, if held and this cache is trusted.
	 * @param key the page key
	 * @return the lookup of the page as read from Redis, or {@code null}
	 */
	@Nullable PageLookup get(String key) {
		NearCacheEntry entry = this.pages.get(key);
		if (entry == null) {
			return null;
		}
		long now = System.nanoTime();
		if (!this.synchronization.trusts(now) || now - entry.expiresAt() >= 0) {
			return null;
		}
		this.hits.increment();
		return entry.lookup();
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
		long now = System.nanoTime();
		if (entry == null || !this.synchronization.trusts(now)) {
			return;
		}
		long size = entry.estimatedSize() + key.length() * 2L;
		long remaining = TimeUnit.MILLISECONDS.toNanos(timeToLive);
		if (size > this.maxBytes / 4 || remaining <= 0 || hasLineBreak(entry.tags())) {
			// a tag with a line break could not be told apart in an invalidation message
			return;
		}
		NearCacheEntry held = new NearCacheEntry(key, lookup, now + Math.min(remaining, this.maxAgeNanos), size);
		this.synchronization.offer(held, lookup.sequence(), lookup.epoch(), now);
	}

	/**
	 * Drop the page of a key, which this instance is about to replace.
	 * @param key the page key
	 */
	void remove(String key) {
		this.synchronization.remove(key);
	}

	/**
	 * Drop every page and forget the position, as after a lost message: pages are kept
	 * again once a message or a ping brings a position.
	 */
	void flush() {
		this.synchronization.lostMessage();
	}

	/**
	 * Whether this cache has applied an invalidation, or does not serve pages anyway.
	 * @param sequence the invalidation's counter value
	 * @param epoch the epoch it was published with
	 * @return {@code true} if no page it dropped can be served here
	 */
	boolean hasApplied(long sequence, String epoch) {
		return this.synchronization.hasApplied(sequence, epoch, System.nanoTime());
	}

	String getName() {
		return this.name;
	}

	/**
	 * How long a heartbeat lets this cache serve pages.
	 * @return the registration
	 */
	Duration getRegistration() {
		return this.registration;
	}

	byte[] getChannel() {
		return this.keys.nearCacheChannel();
	}

	/**
	 * The pages served from this cache so far.
	 * @return the number of hits
	 */
	long getHits() {
		return this.hits.sum();
	}

	/**
	 * How often this cache dropped everything: a lost invalidation, a clear, a new epoch.
	 * @return the number of flushes
	 */
	long getFlushes() {
		return this.synchronization.flushes();
	}

	/**
	 * The number of pages held.
	 * @return the number of pages
	 */
	int size() {
		return this.pages.size();
	}

	/**
	 * Whether this cache serves pages now: it has heard its own ping within its
	 * registration.
	 * @return {@code true} if trusted
	 */
	public boolean isTrusted() {
		return this.synchronization.trusts(System.nanoTime());
	}

	@Override
	public void start() {
		this.channel.start();
	}

	@Override
	public void stop() {
		this.channel.stop();
	}

	@Override
	public boolean isRunning() {
		return this.channel.isRunning();
	}

	/**
	 * After the connection factory starts, and stopped before it.
	 * @return the phase
	 */
	@Override
	public int getPhase() {
		return this.channel.getPhase();
	}

	private static boolean hasLineBreak(Set<String> tags) {
		for (String tag : tags) {
			if (tag.indexOf('\n') >= 0) {
				return true;
			}
		}
		return false;
	}

	private static String newName() {
		byte[] bytes = new byte[9];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
