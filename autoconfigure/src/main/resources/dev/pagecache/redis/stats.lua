-- Add one instance's new statistics to the fleet's: counters only ever grow, by the deltas given.
-- KEYS[1] {ns}:stats
-- ARGV[1] the TTL of the statistics in ms, ARGV[2..] pairs of field and delta
for i = 2, #ARGV - 1, 2 do
	redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
