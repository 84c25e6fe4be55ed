package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.zset.Tuple;
import org.springframework.util.Assert;

import dev.pagecache.store.PageStore.HotList;
import dev.pagecache.store.PageStore.HotPage;
import dev.pagecache.store.PageStore.RefreshListener;

/**
 * The hot list of a namespace in Redis, {@code {ns}:hot}: page ids scored by their
 * requests across the instances, halved every half-life ({@code hot.lua}); and the hot
 * pages an {@code invalidate.lua} reply ends with.
 *
 * @author pagecache
 */
final class RedisHotPages {

	/** The TTL of the hot list, which every flush refreshes. */
	static final Duration TTL = Duration.ofDays(7);

	private static final LuaScript HOT = LuaScript.loadWithLibrary("hot");

	private final GuardedRedis redis;

	private final RedisKeys keys;

	private volatile HotList settings = HotList.DEFAULT;

	private volatile @Nullable RefreshListener listener;

	RedisHotPages(GuardedRedis redis, RedisKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	void setSettings(HotList settings) {
		this.settings = settings;
	}

	void setListener(RefreshListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		this.listener = listener;
	}

	/**
	 * The lowest score of a hot page and the most hot pages an invalidation returns: none
	 * without a listener.
	 */
	HotList handedOver() {
		HotList hotList = this.settings;
		return (this.listener != null) ? hotList
				: new HotList(hotList.halfLife(), hotList.maxPages(), hotList.minRequests(), 0);
	}

	/** Hand the hot pages that end an {@code invalidate.lua} reply to the listener. */
	void handOver(List<Object> reply) {
		RefreshListener refresh = this.listener;
		List<HotPage> hot = dropped(reply);
		if (refresh != null && !hot.isEmpty()) {
			refresh.hotPagesDropped(hot);
		}
	}

	void cleared() {
		RefreshListener refresh = this.listener;
		if (refresh != null) {
			refresh.cleared();
		}
	}

	/** {@code hot.lua}. */
	void add(Map<String, Long> requests) {
		HotList hotList = this.settings;
		byte[][] keysAndArgs = new byte[5 + 2 * requests.size()][];
		int i = 0;
		keysAndArgs[i++] = this.keys.hot();
		keysAndArgs[i++] = this.keys.hotDecayed();
		keysAndArgs[i++] = RedisKeys.number(hotList.halfLife().toMillis());
		keysAndArgs[i++] = RedisKeys.number(hotList.maxPages());
		keysAndArgs[i++] = RedisKeys.number(TTL.toMillis());
		for (Map.Entry<String, Long> request : requests.entrySet()) {
			keysAndArgs[i++] = this.keys.member(request.getKey());
			keysAndArgs[i++] = RedisKeys.number(request.getValue());
		}
		this.redis.execute("addRequests", (connection) -> HOT.run(connection, ReturnType.INTEGER, 2, keysAndArgs));
	}

	/**
	 * {@code ZREVRANGEBYSCORE {ns}:hot +inf <min> WITHSCORES LIMIT 0 <limit>}.
	 */
	List<HotPage> hottest(int limit, double minRequests) {
		if (limit <= 0) {
			return List.of();
		}
		Set<Tuple> tuples = this.redis.execute("hottest", (connection) -> connection.zSetCommands()
			.zRevRangeByScoreWithScores(this.keys.hot(), minRequests, Double.POSITIVE_INFINITY, 0, limit));
		List<HotPage> pages = new ArrayList<>();
		if (tuples != null) {
			for (Tuple tuple : tuples) {
				pages.add(new HotPage(RedisKeys.keyOf(tuple.getValue()), tuple.getScore()));
			}
		}
		return pages;
	}

	/**
	 * The hot pages that end an {@code invalidate.lua} reply: index member and score, in
	 * turn.
	 */
	static List<HotPage> dropped(List<Object> reply) {
		List<?> members = (List<?>) reply.get(reply.size() - 1);
		List<HotPage> pages = new ArrayList<>(members.size() / 2);
		for (int i = 0; i + 1 < members.size(); i += 2) {
			pages.add(new HotPage(RedisKeys.keyOf((byte[]) members.get(i)),
					Double.parseDouble(new String((byte[]) members.get(i + 1), StandardCharsets.US_ASCII))));
		}
		return pages;
	}

}
