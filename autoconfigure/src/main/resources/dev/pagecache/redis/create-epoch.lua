-- Create the epoch when it is missing (first use, or lost with the data), with the counter beside it; renew
-- it when the counter is missing (lost alone, or an epoch another key layout left), since no guard can
-- compare against a counter that starts over: pages of the old epoch become misses.
-- KEYS[1] {ns}:sequence, KEYS[2] {ns}:epoch
-- ARGV[1] the new epoch, ARGV[2] the TTL of the counter and the epoch in ms, ARGV[3] the channel of the near
-- caches, which are told to drop everything ('c', the counter value and the epoch, one a line)
if redis.call('EXISTS', KEYS[1]) == 1 then
	if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
		return 0
	end
else
	redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
	redis.call('SET', KEYS[1], '0', 'PX', ARGV[2])
end
redis.call('PUBLISH', ARGV[3], 'c\n' .. redis.call('GET', KEYS[1]) .. '\n' .. ARGV[1])
return 1
