-- Store a page unless the store moved past the lookup the render started from.
-- KEYS[1]         {ns}:<page id>, the page
-- KEYS[2]         {ns}:sequence, the invalidation counter
-- KEYS[3]         {ns}:epoch
-- KEYS[4..3+n]    {ns}:tag-invalidated:<tag>, the sequence of each tag's last invalidation
-- KEYS[4+n..3+2n] {ns}:tag:<epoch>:<tag>, each tag's index
-- KEYS[4+2n]      {ns}:miss-reason:<page id>, the page's miss reason
-- KEYS[5+2n]      {ns}:render-lease:<page id>, the page's render lease, given back once stored
-- ARGV[1] the lookup's epoch, ARGV[2] the lookup's sequence, ARGV[3] the entry TTL in ms,
-- ARGV[4] the value (see PageValue), ARGV[5] the index member,
-- ARGV[6] the TTL of the counter and the epoch in ms, ARGV[7] how long the miss reason outlives the page in
-- ms (0: none), ARGV[8] which of the tags (1..n) is the route's, whose index counts the route's pages
-- (0: none), ARGV[9] the most pages a route may have (0: no limit), ARGV[10] the name of the instance in
-- the render leases it takes
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
		redis.call('ZREMRANGEBYSCORE', index, '-inf', string.format('(%d', now_millis()))
		if redis.call('ZCARD', index) >= limit then
			return 2
		end
	end
end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl)
-- read the time after SET so that the score is never earlier than the key's actual expiry
local now = now_millis()
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
