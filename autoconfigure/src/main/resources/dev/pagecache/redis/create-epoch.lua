-- Create the epoch when it is missing (first use, or lost with the data), with the counter beside it.
-- KEYS[1] {ns}:sequence, KEYS[2] {ns}:epoch
-- ARGV[1] the new epoch, ARGV[2] the TTL of the counter and the epoch in ms, ARGV[3] the channel of the near
-- caches, which are told to drop everything ('c', the counter value and the epoch, one a line)
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
	redis.call('SET', KEYS[1], '0', 'NX', 'PX', ARGV[2])
	redis.call('PUBLISH', ARGV[3], 'c\n' .. redis.call('GET', KEYS[1]) .. '\n' .. ARGV[1])
	return 1
end
return 0
