-- How many pages carry a tag: the unexpired members of its index whose pages still exist. With at most ARGV[3]
-- unexpired members each one is checked, and the count is exact; with more, ARGV[3] members spread evenly over
-- their ranks are checked, and the share of them whose page exists scales the number of unexpired members: an
-- estimate. Either way one call checks at most ARGV[3] members, however many pages carry the tag.
-- KEYS[1] {ns}:epoch
-- ARGV[1] the key prefix '{ns}:', ARGV[2] the tag, ARGV[3] the most members to check
-- Returns the number of pages, then 1 when it is an estimate, 0 when it is a count.
local index, unexpired = unexpired_index(ARGV[1], KEYS[1], ARGV[2])
local sample = tonumber(ARGV[3])
local live = 0
if not index or unexpired == 0 then
	return { 0, 0 }
end
if unexpired <= sample then
	for _, member in ipairs(redis.call('ZREVRANGE', index, 0, unexpired - 1)) do
		if page_exists(ARGV[1], member) then
			live = live + 1
		end
	end
	return { live, 0 }
end
for i = 0, sample - 1 do
	-- the middle rank of the i-th of sample equal stretches: members of every age are checked alike
	local rank = math.floor((2 * i + 1) * unexpired / (2 * sample))
	local member = redis.call('ZREVRANGE', index, rank, rank)[1]
	if member and page_exists(ARGV[1], member) then
		live = live + 1
	end
end
return { math.floor(unexpired * live / sample + 0.5), 1 }
