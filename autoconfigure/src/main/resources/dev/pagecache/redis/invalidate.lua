-- Record an invalidation of tags and drop the pages that carry them.
-- KEYS[1]      {ns}:seq, the invalidation counter
-- KEYS[2]      {ns}:epoch
-- KEYS[3]      {ns}:n, the leases of the near caches
-- KEYS[4..3+n] {ns}:s:<tag>, the sequence of each tag's last invalidation
-- ARGV[1] the longest render time in ms (the TTL of the tag records), ARGV[2] the TTL of the counter and the
-- epoch in ms, ARGV[3] a new epoch, used when the counter was lost, ARGV[4] the key prefix '{ns}:',
-- ARGV[5] how long the marker of a deleted page says 'invalidated' in ms (0: no markers),
-- ARGV[6] the channel of the near caches, ARGV[7..6+n] the tags
-- Index, page and marker keys are derived here from the current epoch and the index members; they share
-- the namespace's hash tag with the declared keys.
-- Publishes the invalidation to the near caches: 'i', the new counter value, the epoch and the tags, one a
-- line. Returns the number of pages deleted, the counter value, the server's time in ms and the near caches
-- whose lease runs (name and lease expiry in ms, in turn), which the caller waits for.
local batch = 1000
local prefix = ARGV[4]
local retention = tonumber(ARGV[5])
local first_tag = 7
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
local n = #KEYS - 3
for i = 1, n do
	redis.call('SET', KEYS[3 + i], seq, 'PX', ARGV[1])
	if epoch then
		local index = prefix .. 't:' .. epoch .. ':' .. ARGV[first_tag - 1 + i]
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
	epoch = ARGV[3]
elseif epoch then
	redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
local message = {'i', seq, epoch or ''}
for i = 1, n do
	message[3 + i] = ARGV[first_tag - 1 + i]
end
redis.call('PUBLISH', ARGV[6], table.concat(message, '\n'))
local reply = {deleted, seq, epoch or ''}
return near_caches(KEYS[3], reply)
