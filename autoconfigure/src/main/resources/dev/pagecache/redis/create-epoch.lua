-- Begin a new epoch when the current one cannot guard its pages: it is missing (first use, lost with the data,
-- or forgotten by a script that found a record lost), its counter is missing (lost alone, or an epoch another
-- key layout left: no guard can compare against a counter that starts over), or it was begun under another
-- replication id (a failover or a restart may have lost invalidations acknowledged before). Pages of the old
-- epoch become misses.
-- KEYS[1] {ns}:sequence, KEYS[2] {ns}:epoch, KEYS[3] {ns}:replication
-- ARGV[1] the new epoch, ARGV[2] the TTL of the counter and the epoch in ms, ARGV[3] the channel of the near
-- caches, which are told to drop everything ('c', the counter value and the epoch, one a line), ARGV[4] the
-- key prefix '{ns}:'
-- Returns 1 when it began an epoch, 0 when the current one stands.
local counted = redis.call('EXISTS', KEYS[1]) == 1
if counted and redis.call('EXISTS', KEYS[2]) == 1 and read_replication(redis.call('GET', KEYS[3])) == replication_id() then
	return 0
end
if not counted then
	redis.call('SET', KEYS[1], '0', 'PX', ARGV[2])
end
begin_epoch(ARGV[4], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], 'c\n' .. redis.call('GET', KEYS[1]) .. '\n' .. ARGV[1])
return 1
