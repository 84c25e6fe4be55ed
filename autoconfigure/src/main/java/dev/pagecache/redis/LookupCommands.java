package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * The commands of a {@link RedisPageStore#lookup lookup}: one round trip that reads a
 * page with what guards it, and, while pages may be outside their tags' indexes, the
 * check of a page's tags.
 *
 * @author pagecache
 */
final class LookupCommands {

	/** What {@link #validate} returns for a page that is still fresh. */
	static final long FRESH = 1;

	private static final String MASTER_REPLID = "master_replid:";

	private static final LuaScript VALIDATE = LuaScript.loadWithLibrary("validate");

	private final GuardedRedis redis;

	private final RedisKeys keys;

	LookupCommands(GuardedRedis redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/**
	 * An {@code MGET} of the page, the counter, the epoch, what {@code {ns}:replication}
	 * records and, when asked, the page's miss reason, then {@code INFO replication},
	 * sent together on the store's connection, so one round trip. They run on one server
	 * in that order, and a server's replication id, once replaced, never comes back: when
	 * the epoch's id is the server's after the read, it was the server's during the read.
	 * Where {@code INFO} is refused (renamed or denied on some managed services), the
	 * server's id reads as empty, as the scripts read it. On Redis Cluster, a primary
	 * that no longer serves the slot answers with a redirection: the lookup fails (the
	 * request is served without the cache) and the client reads the cluster's topology
	 * again.
	 */
	Reply lookup(String key, boolean withMissReason) {
		byte[][] keys;
		if (withMissReason) {
			byte[][] pageAndMissReason = this.keys.pageAndMissReason(key);
			keys = new byte[][] { pageAndMissReason[0], this.keys.sequence(), this.keys.epoch(),
					this.keys.replication(), pageAndMissReason[1] };
		}
		else {
			keys = new byte[][] { this.keys.page(key), this.keys.sequence(), this.keys.epoch(),
					this.keys.replication() };
		}
		long timeout = this.redis.commandTimeout().toNanos();
		return this.redis.execute("lookup", (connection) -> {
			Reads reads = read(connection, keys);
			List<KeyValue<byte[], byte[]>> values;
			try {
				values = LettuceFutures.awaitOrCancel(reads.values(), timeout, TimeUnit.NANOSECONDS);
			}
			catch (RedisCommandExecutionException ex) {
				if (isRedirection(ex)) {
					this.redis.topologyChanged();
				}
				throw ex;
			}
			RedisFuture<String> info = reads.info();
			String serverReplicationId = (info != null) ? replicationId(info, timeout) : null;
			byte[] epoch = values.get(2).getValueOrElse(null);
			byte[] recorded = values.get(3).getValueOrElse(null);
			String recordedReplication = (recorded != null) ? new String(recorded, StandardCharsets.US_ASCII) : "";
			int space = recordedReplication.indexOf(' ');
			String recordedId = (space >= 0) ? recordedReplication.substring(0, space) : recordedReplication;
			boolean sameHistory = recorded != null && recordedId.equals(serverReplicationId);
			return new Reply(values.get(0).getValueOrElse(null), values.get(1).getValueOrElse(null),
					sameHistory ? epoch : null, withMissReason ? values.get(4).getValueOrElse(null) : null, space >= 0);
		});
	}

	/**
	 * {@code validate.lua}: whether a page is still fresh while pages of its epoch may be
	 * outside their tags' indexes.
	 * @param epoch the page's epoch
	 * @param sequence the counter value the page's render started from
	 * @param tags the page's tags
	 * @return 1 when fresh, 0 when a tag was invalidated since, -1 when the tag state is
	 * lost
	 */
	long validate(String epoch, long sequence, Collection<String> tags) {
		byte[][] keysAndArgs = new byte[2 + tags.size()][];
		keysAndArgs[0] = this.keys.tagState(epoch);
		keysAndArgs[1] = RedisKeys.number(sequence);
		int i = 2;
		for (String tag : tags) {
			keysAndArgs[i++] = RedisKeys.bytes(tag);
		}
		Long fresh = this.redis.execute("lookup",
				(connection) -> VALIDATE.run(connection, ReturnType.INTEGER, 1, keysAndArgs));
		return (fresh != null) ? fresh : -1;
	}

	/**
	 * Send the {@code MGET}, then {@code INFO replication}, on one connection to one
	 * server: on Redis Cluster, the connection to the primary that serves the keys' slot
	 * (all keys share one hash tag) in the client's view of the topology (its partitions,
	 * read without a copy), which follows no redirection, so that both are answered by
	 * that server in that order. Where no primary is known for the slot, the read is
	 * routed by the client and no {@code INFO} is sent: the epoch reads as of another
	 * history.
	 */
	@SuppressWarnings("unchecked")
	private Reads read(RedisConnection connection, byte[][] keys) {
		Object nativeConnection = connection.getNativeConnection();
		if (nativeConnection instanceof RedisAsyncCommands<?, ?> server) {
			RedisAsyncCommands<byte[], byte[]> commands = (RedisAsyncCommands<byte[], byte[]>) server;
			return new Reads(commands.mget(keys), commands.info("replication"));
		}
		if (nativeConnection instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
			RedisAdvancedClusterAsyncCommands<byte[], byte[]> commands = (RedisAdvancedClusterAsyncCommands<byte[], byte[]>) cluster;
			RedisClusterClient client = this.redis.clusterClient();
			RedisClusterNode primary = (client != null)
					? client.getPartitions().getMasterBySlot(SlotHash.getSlot(keys[0])) : null;
			if (primary == null) {
				return new Reads(commands.mget(keys), null);
			}
			RedisClusterAsyncCommands<byte[], byte[]> node = commands.getConnection(primary.getNodeId());
			return new Reads(node.mget(keys), node.info("replication"));
		}
		throw new IllegalStateException(
				"The Redis page store needs a Lettuce connection, not " + nativeConnection.getClass().getName());
	}

	/**
	 * The {@code master_replid} of an {@code INFO replication} reply; empty when the
	 * server refused the command.
	 */
	private static String replicationId(RedisFuture<String> info, long timeout) {
		String reply;
		try {
			reply = LettuceFutures.awaitOrCancel(info, timeout, TimeUnit.NANOSECONDS);
		}
		catch (RedisCommandExecutionException ex) {
			return "";
		}
		int start = reply.indexOf(MASTER_REPLID);
		if (start < 0) {
			return "";
		}
		start += MASTER_REPLID.length();
		int end = start;
		while (end < reply.length() && Character.isLetterOrDigit(reply.charAt(end))) {
			end++;
		}
		return reply.substring(start, end);
	}

	/**
	 * Whether a cluster node said that another one serves the slot ({@code MOVED},
	 * {@code ASK}) or that the slot's keys are on the move ({@code TRYAGAIN}).
	 */
	private static boolean isRedirection(RedisCommandExecutionException ex) {
		String message = String.valueOf(ex.getMessage());
		return message.startsWith("MOVED") || message.startsWith("ASK") || message.startsWith("TRYAGAIN");
	}

	private record Reads(RedisFuture<List<KeyValue<byte[], byte[]>>> values, @Nullable RedisFuture<String> info) {

	}

	/**
	 * What a lookup read.
	 *
	 * @param page the page's value, if any
	 * @param sequence the counter's value, if any
	 * @param epoch the epoch, if any and begun on the server's replication history
	 * @param missReason the page's miss reason, if asked for and any
	 * @param validate whether pages of the epoch may be outside their tags' indexes, so
	 * that a page must be {@linkplain LookupCommands#validate validated} before it is
	 * served
	 */
	record Reply(byte @Nullable [] page, byte @Nullable [] sequence, byte @Nullable [] epoch,
			byte @Nullable [] missReason, boolean validate) {

	}

}
