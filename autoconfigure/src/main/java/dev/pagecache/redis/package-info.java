/**
 * The Redis page store and its near cache: guarded stores and tag invalidation in Lua,
 * the near caches' freshness protocol in small package-private parts.
 *
 * <h2>Key layout</h2>
 * <p>
 * All keys of a namespace {@code ns} share the hash tag {@code {ns}}, so the scripts may
 * touch them together on a single primary (or a Sentinel-managed one, or one slot of a
 * Cluster). Split into shards ({@code RedisShards}, {@code ShardedRedisPageStore}), each
 * shard is a namespace of its own, {@code ns:k} or {@code ns:k.n}, with every key below
 * under its hash tag: a page lives in the shard its key falls in, an invalidation and a
 * clear run in every shard. Every key has a TTL. This is key layout 3 and page value
 * version 3. Layout 3 keeps the last invalidation of each tag in the tag state of the
 * epoch instead of layout 2's {@code {ns}:tag-invalidated:<tag>} keys: the first lookup
 * of layout 3 begins a new epoch (layout 2 wrote no replication id), so layout 2's pages
 * become misses, but the layouts miss each other's invalidations, so instances move to
 * layout 3 all at once (or to a new namespace). The layout:
 * <p>
 * The <b>epoch</b>, 16 random characters replaced when the store is cleared or has lost
 * data, the <b>replication id</b> of the server it was begun on ({@code master_replid} of
 * {@code INFO replication}, which a promoted replica and a restart without the data's
 * history replace), and the <b>invalidation counter</b>, with a TTL of 30 days that
 * writes refresh (if they expire nevertheless, every page becomes a miss, which is safe):
 *
 * <pre class="code">
 * SET {ns}:epoch Xq3mX9a_E2lT0pVb PX 2592000000
 * SET {ns}:replication 6f2c0e0bb4d1f2a3c2b1e0f9d8c7b6a5f4e3d2c1 PX 2592000000
 * SET {ns}:sequence 0 NX PX 2592000000
 * </pre>
 *
 * While pages of the epoch may exist outside their tags' indexes (an index was evicted
 * before they expired), the replication id is followed by a space and the server time in
 * ms until which they may: lookups then check each page's tags against the tag state
 * ({@code validate.lua}), and the first store after that time removes the suffix:
 *
 * <pre class="code">
 * SET {ns}:replication "6f2c0e0bb4d1f2a3c2b1e0f9d8c7b6a5f4e3d2c1 1767226200000" KEEPTTL
 * </pre>
 *
 * A <b>page</b>, under its <em>page id</em>: {@code page:<key>} for a key of at most 200
 * UTF-8 bytes, {@code page-sha256:<digest>} (base64url without padding) for a longer one,
 * so that keys stay bounded. Its value ({@code PageValue}) is the format version, the
 * current epoch, the page's expiry in epoch milliseconds (8 bytes, big-endian, on the
 * writer's clock), the counter value its render started from (8 bytes, big-endian) and
 * the encoded entry, with the entry's TTL:
 *
 * <pre class="code">
 * SET {ns}:page:&lt;key&gt; 0x03 + "Xq3mX9a_E2lT0pVb" + expiry + sequence + entry PX 600000
 * SET {ns}:page-sha256:xMpCOKC5I4INzFCab3WEmw9mdI1vVPkCfN4A8nZVlU8 0x03 + ... PX 600000
 * </pre>
 *
 * The page expires at an instant on the Redis server's clock, with the list of its
 * <b>tags</b> beside it:
 *
 * <pre class="code">
 * SET {ns}:page:&lt;key&gt; 0x03 + ... PXAT 1767226200000
 * SET {ns}:page-tags:page:&lt;key&gt; "route:/posts/{id}\nPost#42" PXAT 1767226200000
 * </pre>
 *
 * The <b>index of a tag</b> in an epoch: a sorted set of the pages that carry the tag,
 * scored by their expiry on the Redis server's clock (which expires the pages, so that
 * skewed instances cannot prune a live member). A member is the page id, followed by
 * {@code :<key>} for a digested one. Each add prunes expired members; the index expires
 * with its last page. A {@code clear()} leaves the old epoch's indexes to expire, unread:
 *
 * <pre class="code">
 * ZREMRANGEBYSCORE {ns}:tag:Xq3mX9a_E2lT0pVb:Post#42 -inf (1767225600000
 * ZADD {ns}:tag:Xq3mX9a_E2lT0pVb:Post#42 1767226200000 "page:&lt;key&gt;"
 * PEXPIREAT {ns}:tag:Xq3mX9a_E2lT0pVb:Post#42 1767226200000
 * </pre>
 *
 * The <b>tag state</b> of an epoch: for each tag, until when pages that carry it may
 * exist (so its index must), the counter value and time of its last invalidation (kept at
 * least as long as a render may take, {@code maxRenderTime}; the caller does not store a
 * longer render), and until when pages may carry it outside its index (orphans of an
 * evicted index). Its field {@code ""} holds the epoch from the epoch's first moment, so
 * that a lost hash is told apart from an empty one:
 *
 * <pre class="code">
 * HSET {ns}:tag-state:Xq3mX9a_E2lT0pVb "" Xq3mX9a_E2lT0pVb
 * HSET {ns}:tag-state:Xq3mX9a_E2lT0pVb Post#42 "1767226200000:17:1767225500000:0"
 * </pre>
 *
 * The <b>render lease of a page</b> ({@code RedisPageStore#lease}): which instance
 * renders it now, given back by the store that follows or by {@code release}:
 *
 * <pre class="code">
 * SET {ns}:render-lease:page:&lt;key&gt; "hT3e0aPq9xZc0aPq" NX PX 2000
 * </pre>
 *
 * The <b>miss reason of a page</b> ({@code MissMarker}), only with a retention
 * (<code>setMissReasonRetention</code>) {@code r}: a store writes {@code s}, the epoch
 * and the page's expiry, living {@code r} longer than the page; an invalidation that
 * deletes the page replaces it with {@code i}, living {@code r}:
 *
 * <pre class="code">
 * SET {ns}:miss-reason:page:&lt;key&gt; "sXq3mX9a_E2lT0pVb1767226200000" PX 4200000
 * SET {ns}:miss-reason:page:&lt;key&gt; "i" PX 3600000
 * </pre>
 *
 * The <b>statistics of the fleet</b> ({@code stats.lua}, never on the request path): one
 * hash of counters that every instance adds to, fields a counter's name and a page's URL
 * pattern or an entity type:
 *
 * <pre class="code">
 * HINCRBY {ns}:stats "hits|/posts/{id}" 120
 * PEXPIRE {ns}:stats 2592000000
 * </pre>
 *
 * The <b>hot list</b> ({@code hot.lua}, flushed by each instance about once a second,
 * never on the request path): page ids (index members) scored by their requests across
 * the instances, halved every half-life (at most once a second, weighted by
 * {@code 2^(-elapsed / half-life)}), bounded to the hottest pages, scores under 0.5
 * removed, with a TTL of 7 days that each flush refreshes; not per epoch, so a clear
 * leaves it to warm from. {@code invalidate.lua} looks up the score of each page it
 * deletes ({@code ZSCORE}, {@code ZMSCORE} per batch):
 *
 * <pre class="code">
 * SET {ns}:hot-decayed 1767225600000 PX 604800000
 * ZUNIONSTORE {ns}:hot 1 {ns}:hot WEIGHTS 0.99884556
 * ZINCRBY {ns}:hot 12 "page:&lt;key&gt;"
 * ZREMRANGEBYSCORE {ns}:hot -inf (0.5
 * ZREMRANGEBYRANK {ns}:hot 0 -1001
 * PEXPIRE {ns}:hot 604800000
 * </pre>
 *
 * The <b>near caches</b> ({@code setNearCache}): their registrations (expiry on the
 * server's clock), the last invalidation each applied, and the channel of every
 * invalidation, clear and ping ({@code NearCacheMessage}):
 *
 * <pre class="code">
 * HSET {ns}:near-cache:instances "hT3e0aPq9xZc" 1767226201000
 * HSET {ns}:near-cache:acknowledged "hT3e0aPq9xZc" "17\nXq3mX9a_E2lT0pVb"
 * PUBLISH {ns}:near-cache "i\n17\nXq3mX9a_E2lT0pVb\nPost#42"
 * </pre>
 * <p>
 * Scripts are read once, those that derive keys preceded by {@code library.lua} and the
 * key names of {@code RedisKeys}, and sent with {@code EVALSHA}, falling back to
 * {@code EVAL} on {@code NOSCRIPT}. They run on Redis 6.2 and 7: no {@code KEYS}, no
 * keyspace notifications, no functions. Keys derived in a script share the hash tag of
 * the declared ones. A page stored again under other tags stays in its former tags'
 * indexes until it expires: an invalidation drops more than necessary, never less. Every
 * key has a TTL, so every key may be evicted under any {@code maxmemory-policy}; losing
 * any of them costs misses, never a stale hit: a lost page or miss reason is a miss; a
 * lost counter, epoch, replication id or tag state replaces the epoch. A lost index
 * leaves pages that no invalidation can find (orphans): until the last of them expires,
 * {@code {ns}:replication} says so, and each lookup that finds a page checks its tags'
 * last invalidations against the counter value its render started from
 * ({@code validate.lua}, a second round trip), so that an orphan whose tag was
 * invalidated is a miss and every other page stays a hit.
 *
 */
@NullMarked
package dev.pagecache.redis;

import org.jspecify.annotations.NullMarked;
