package dev.pagecache.edge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The queue of failed purges in Redis, shared by every instance of the namespace, so that
 * a purge an instance could not send is retried also when that instance is gone. A list
 * per purger, named by {@link EdgePurger#name()}:
 *
 * <pre class="code">
 * RPUSH {ns}:edge-purges:varnish "t 3kq2...\nt ab7c...\nu /posts/1"
 * PEXPIRE {ns}:edge-purges:varnish 86400000
 * LINDEX {ns}:edge-purges:varnish 0
 * LREM {ns}:edge-purges:varnish 1 "t 3kq2...\nt ab7c...\nu /posts/1"
 * </pre>
 *
 * The list lives a day past its last failure: no edge keeps a page longer than its TTL in
 * the store. Two instances may retry the same purge; purges are idempotent. While Redis
 * cannot be reached, purges are queued in memory and retried from there.
 *
 * @author pagecache
 */
final class RedisEdgePurgeQueue implements EdgePurgeQueue {

	private static final long TTL_MILLIS = Duration.ofDays(1).toMillis();

	private final RedisConnectionFactory connectionFactory;

	private final String prefix;

	private final InMemoryEdgePurgeQueue fallback = new InMemoryEdgePurgeQueue();

	/**
	 * Create a queue.
	 * @param connectionFactory the page store's connection factory
	 * @param namespace the store's namespace
	 */
	RedisEdgePurgeQueue(RedisConnectionFactory connectionFactory, String namespace) {
		this.connectionFactory = connectionFactory;
		this.prefix = "{" + namespace + "}:edge-purges:";
	}

	@Override
	public void add(String purger, EdgePurger.Purge purge) {
		byte[] key = key(purger);
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long length = connection.listCommands().lLen(key);
			if (length != null && length >= MAX_LENGTH) {
				connection.keyCommands().del(key);
				purge = EdgePurger.Purge.everything();
			}
			connection.listCommands().rPush(key, bytes(EdgePurgeQueue.encode(purge)));
			connection.keyCommands().pExpire(key, TTL_MILLIS);
		}
		catch (RuntimeException ex) {
			this.fallback.add(purger, purge);
		}
	}

	@Override
	public EdgePurger.@Nullable Purge peek(String purger) {
		EdgePurger.Purge local = this.fallback.peek(purger);
		if (local != null) {
			return local;
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			byte[] head = connection.listCommands().lIndex(key(purger), 0);
			return (head != null) ? EdgePurgeQueue.decode(new String(head, StandardCharsets.UTF_8)) : null;
		}
	}

	@Override
	public void remove(String purger, EdgePurger.Purge purge) {
		if (purge.equals(this.fallback.peek(purger))) {
			this.fallback.remove(purger, purge);
			return;
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			connection.listCommands().lRem(key(purger), 1, bytes(EdgePurgeQueue.encode(purge)));
		}
	}

	@Override
	public long size(String purger) {
		long local = this.fallback.size(purger);
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Long length = connection.listCommands().lLen(key(purger));
			return local + ((length != null) ? length : 0);
		}
		catch (RuntimeException ex) {
			return local;
		}
	}

	private byte[] key(String purger) {
		return bytes(this.prefix + purger);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
