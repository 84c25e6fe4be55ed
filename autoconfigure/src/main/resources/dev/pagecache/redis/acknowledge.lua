-- A near cache acknowledges the invalidations it has applied: the counter value and the epoch, one a line.
-- KEYS[1] {ns}:near-cache:acknowledged, the acknowledgements of the near caches
-- ARGV[1] the near cache's name, ARGV[2] the acknowledgement, ARGV[3] the TTL of the hash in ms
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
