-- Count the members of a tag's index in the current epoch whose pages still exist.
-- KEYS[1] {ns}:epoch
-- ARGV[1] the key prefix '{ns}:', ARGV[2] the tag
local prefix = ARGV[1]
local epoch = redis.call('GET', KEYS[1])
if not epoch then
	return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local members = redis.call('ZRANGEBYSCORE', prefix .. 't:' .. epoch .. ':' .. ARGV[2], string.format('(%d', now), '+inf')
local live = 0
for _, member in ipairs(members) do
	local key
	if string.sub(member, 1, 2) == 'h:' then
		key = prefix .. string.sub(member, 1, 45)
	else
		key = prefix .. member
	end
	live = live + redis.call('EXISTS', key)
end
return live
