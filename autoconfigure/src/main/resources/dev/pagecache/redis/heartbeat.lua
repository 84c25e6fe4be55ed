-- A near cache's heartbeat: renew its registration and send it a ping through the channel, behind every
-- invalidation published before. The ping carries the counter and the epoch as they are now, so that a near
-- cache that receives it knows whether it has applied every invalidation up to this point.
-- KEYS[1] {ns}:sequence, KEYS[2] {ns}:epoch, KEYS[3] {ns}:near-cache:instances, the registered near caches
-- (name to expiry in ms) and when the hash was created (field 'created'),
-- KEYS[4] {ns}:near-cache:acknowledged, their acknowledgements, of which those of unregistered near caches are
-- dropped
-- ARGV[1] the near cache's name, ARGV[2] its registration in ms, ARGV[3] the channel, ARGV[4] the ping's
-- number
-- Publishes 'p', the name, the number, the counter and the epoch (empty when missing), one a line.
local now = now_millis()
local registration = tonumber(ARGV[2])
-- when the registrations began: a writer cannot trust them to be complete for one registration after
redis.call('HSETNX', KEYS[3], 'created', now)
redis.call('HSET', KEYS[3], ARGV[1], now + registration)
redis.call('PEXPIRE', KEYS[3], registration * 10)
for _, name in ipairs(redis.call('HKEYS', KEYS[4])) do
	local expiry = redis.call('HGET', KEYS[3], name)
	if not expiry or tonumber(expiry) <= now then
		redis.call('HDEL', KEYS[4], name)
	end
end
local seq = redis.call('GET', KEYS[1]) or ''
local epoch = redis.call('GET', KEYS[2]) or ''
redis.call('PUBLISH', ARGV[3], 'p\n' .. ARGV[1] .. '\n' .. ARGV[4] .. '\n' .. seq .. '\n' .. epoch)
return 1
