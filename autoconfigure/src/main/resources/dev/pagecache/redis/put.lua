-- Store a page entry unless the store moved past the lookup the render started from.
-- KEYS[1]        {ns}:p:<key> (or {ns}:h:<digest>), the page
-- KEYS[2]        {ns}:seq, the invalidation counter
-- KEYS[3]        {ns}:epoch
-- KEYS[4..3+n]   {ns}:s:<tag>, the sequence of each tag's last invalidation
-- KEYS[4+n..3+2n] {ns}:t:<epoch>:<tag>, each tag's index
-- KEYS[4+2n]     {ns}:r:p:<key> (or {ns}:r:h:<digest>), the page's marker
-- KEYS[5+2n]     {ns}:l:p:<key> (or {ns}:l:h:<digest>), the page's render lease, given back once stored
-- ARGV[1] the lookup's epoch, ARGV[2] the lookup's sequence, ARGV[3] the entry TTL in ms,
-- ARGV[4] the value (epoch followed by the encoded entry), ARGV[5] the index member,
-- ARGV[6] the TTL of the counter and the epoch in ms, ARGV[7] how long the marker outlives the page in ms
-- (0: no marker), ARGV[8] which of the tags (1..n) is the route's, whose index counts the route's pages
-- (0: none), ARGV[9] the most pages a route may have (0: no limit), ARGV[10] the name of the instance in
-- the leases it takes
-- Returns 1 when stored, 0 when refused by the guard, 2 when refused because the route has its most pages.
if redis.call('GET', KEYS[3]) ~= ARGV[1] then
	return 0
end
if not redis.call('GET', KEYS[2]) then
	-- the counter was lost: its next value starts over, so no comparison against it is safe
	return 0
end
local since = tonumber(ARGV[2])
local n = (#KEYS - 5) / 2
for i = 1, n do
	local last = redis.call('GET', KEYS[3 + i])
	if last and tonumber(last) > since then
		return 0
	end
end
local route = tonumber(ARGV[8])
local limit = tonumber(ARGV[9])
if route > 0 and limit > 0 then
	local index = KEYS[3 + n + route]
	if not redis.call('ZSCORE', index, ARGV[5]) then
		local time = redis.call('TIME')
		local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
		redis.call('ZREMRANGEBYSCORE', index, '-inf', string.format('(%d', now))
		if redis.call('ZCARD', index) >= limit then
			return 2
		end
	end
end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl)
-- read the time after SET so that the score is never earlier than the key's actual expiry
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 1, n do
	local index = KEYS[3 + n + i]
	redis.call('ZREMRANGEBYSCORE', index, '-inf', string.format('(%d', now))
	redis.call('ZADD', index, string.format('%d', now + ttl), ARGV[5])
	if redis.call('PTTL', index) < ttl then
		redis.call('PEXPIRE', index, ttl)
	end
end
local retention = tonumber(ARGV[7])
if retention > 0 then
	-- 's', the epoch and the page's expiry: once the page is gone, a lookup tells expiry from eviction
	-- and from a clear (a new epoch)
	redis.call('SET', KEYS[#KEYS - 1], 's' .. ARGV[1] .. string.format('%d', now + ttl), 'PX', ttl + retention)
end
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[6])
if redis.call('GET', KEYS[#KEYS]) == ARGV[10] then
	redis.call('DEL', KEYS[#KEYS])
end
return 1
