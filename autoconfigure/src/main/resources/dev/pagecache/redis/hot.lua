-- Add an instance's requests to the hot list of the namespace, after decaying it.
-- KEYS[1] {ns}:hot, page ids scored by their requests across instances, halved every half-life
-- KEYS[2] {ns}:hot-decayed, the server's time in ms when the scores last decayed
-- ARGV[1] the half-life in ms, ARGV[2] the most pages kept, ARGV[3] the TTL of both keys in ms,
-- ARGV[4..] a page id and its requests, in turn
-- Scores decay at most once a second, by 2^(-elapsed / half-life); pages scoring under 0.5 are removed, and the
-- coldest beyond the most pages kept. Redis 6.2: ZUNIONSTORE with WEIGHTS, no 7-only command. Returns the number
-- of pages in the list.
local now = now_millis()
local ttl = ARGV[3]
local decayed = tonumber(redis.call('GET', KEYS[2]))
if not decayed then
	redis.call('SET', KEYS[2], now, 'PX', ttl)
elseif now - decayed >= 1000 then
	local weight = 2 ^ (-(now - decayed) / tonumber(ARGV[1]))
	redis.call('ZUNIONSTORE', KEYS[1], 1, KEYS[1], 'WEIGHTS', string.format('%.17g', weight))
	redis.call('SET', KEYS[2], now, 'PX', ttl)
end
for i = 4, #ARGV - 1, 2 do
	redis.call('ZINCRBY', KEYS[1], ARGV[i + 1], ARGV[i])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(0.5')
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return redis.call('ZCARD', KEYS[1])
