-- Record an invalidation of tags and drop the pages that carry them.
-- KEYS[1]      {ns}:seq, the invalidation counter
-- KEYS[2]      {ns}:epoch
-- KEYS[3..2+n] {ns}:s:<tag>, the sequence of each tag's last invalidation
-- ARGV[1] the longest render time in ms (the TTL of the tag records), ARGV[2] the TTL of the counter and the
-- epoch in ms, ARGV[3] a new epoch, used when the counter was lost, ARGV[4] the key prefix '{ns}:',
-- ARGV[5] how long the marker of a deleted page says 'invalidated' in ms (0: no markers),
-- ARGV[6..5+n] the tags
-- Index, page and marker keys are derived here from the current epoch and the index members; they share
-- the namespace's hash tag with the declared keys.
-- Returns the number of pages deleted.
local batch = 1000
local prefix = ARGV[4]
local retention = tonumber(ARGV[5])
local counted = redis.call('EXISTS', KEYS[1]) == 1
local seq = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local epoch = redis.call('GET', KEYS[2])

-- the page key without the prefix
local function page_suffix(member)
	if string.sub(member, 1, 2) == 'h:' then
		return string.sub(member, 1, 45)
	end
	return member
end

local deleted = 0
local n = #KEYS - 2
for i = 1, n do
	redis.call('SET', KEYS[2 + i], seq, 'PX', ARGV[1])
	if epoch then
		local index = prefix .. 't:' .. epoch .. ':' .. ARGV[5 + i]
		local start = 0
		while true do
			local members = redis.call('ZRANGE', index, start, start + batch - 1)
			if #members == 0 then
				break
			end
			if retention > 0 then
				-- page by page, so that only pages that were still there are marked 'invalidated'
				for _, member in ipairs(members) do
					local suffix = page_suffix(member)
					if redis.call('DEL', prefix .. suffix) == 1 then
						deleted = deleted + 1
						redis.call('SET', prefix .. 'r:' .. suffix, 'i', 'PX', retention)
					end
				end
			else
				local keys = {}
				for j, member in ipairs(members) do
					keys[j] = prefix .. page_suffix(member)
				end
				deleted = deleted + redis.call('DEL', unpack(keys))
			end
			if #members < batch then
				break
			end
			start = start + batch
		end
		redis.call('DEL', index)
	end
end
if not counted then
	-- the counter started over: sequences read before are meaningless, so replace the epoch with it
	redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
elseif epoch then
	redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return deleted
