-- Drop every page by replacing the epoch; pages written under the old one are misses until they expire.
-- KEYS[1] {ns}:seq, KEYS[2] {ns}:epoch
-- ARGV[1] the new epoch, ARGV[2] the TTL of the counter and the epoch in ms
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1
