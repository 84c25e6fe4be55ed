-- Drop every page by beginning a new epoch; pages written under the old one are misses until they expire.
-- KEYS[1] {ns}:sequence, KEYS[2] {ns}:epoch, KEYS[3] {ns}:near-cache:instances, the registered near caches,
-- KEYS[4] {ns}:replication
-- ARGV[1] the new epoch, ARGV[2] the TTL of the counter and the epoch in ms, ARGV[3] the channel of the
-- near caches, ARGV[4] the key prefix '{ns}:'
-- Publishes 'c', the new counter value and the new epoch, one a line. Returns 1, the counter value, the
-- epoch, an empty report (the place invalidate.lua reports deleted pages in), the server's time in ms and the
-- registered near caches (name and registration expiry in ms, in turn).
local seq = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
begin_epoch(ARGV[4], KEYS[2], KEYS[4], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], 'c\n' .. seq .. '\n' .. ARGV[1])
return near_caches(KEYS[3], {1, seq, ARGV[1], {}})
