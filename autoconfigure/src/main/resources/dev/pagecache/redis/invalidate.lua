-- Record an invalidation of tags and drop the pages that carry them.
-- KEYS[1]      {ns}:sequence, the invalidation counter
-- KEYS[2]      {ns}:epoch
-- KEYS[3]      {ns}:near-cache:instances, the registered near caches
-- KEYS[4..3+n] {ns}:tag-invalidated:<tag>, the sequence of each tag's last invalidation
-- ARGV[1] the longest render time in ms (the TTL of the tag records), ARGV[2] the TTL of the counter and the
-- epoch in ms, ARGV[3] a new epoch, used when the counter was lost, ARGV[4] the key prefix '{ns}:',
-- ARGV[5] how long the miss reason of a deleted page says 'invalidated' in ms (0: none),
-- ARGV[6] the channel of the near caches, ARGV[7..6+n] the tags
-- Index, page and miss reason keys are derived here from the current epoch and the index members; they
-- share the namespace's hash tag with the declared keys.
-- Publishes the invalidation to the near caches: 'i', the new counter value, the epoch and the tags, one a
-- line. Returns the number of pages deleted, the counter value, the epoch, the server's time in ms and the
-- registered near caches (name and registration expiry in ms, in turn), which the caller waits for.
local batch = 1000
local prefix = ARGV[4]
local retention = tonumber(ARGV[5])
local first_tag = 7
local counted = redis.call('EXISTS', KEYS[1]) == 1
local seq = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local epoch = redis.call('GET', KEYS[2])

-- deletes the pages of a batch of index members; returns how many were still there
local function delete_pages(members)
	local deleted = 0
	if retention > 0 then
		-- page by page, so that only pages that were still there are marked 'invalidated'
		for _, member in ipairs(members) do
			local id = page_id(member)
			if redis.call('DEL', prefix .. id) == 1 then
				deleted = deleted + 1
				redis.call('SET', prefix .. MISS_REASON .. id, 'i', 'PX', retention)
			end
		end
		return deleted
	end
	local keys = {}
	for j, member in ipairs(members) do
		keys[j] = prefix .. page_id(member)
	end
	return redis.call('DEL', unpack(keys))
end

local deleted = 0
local n = #KEYS - 3
for i = 1, n do
	redis.call('SET', KEYS[3 + i], seq, 'PX', ARGV[1])
	if epoch then
		local index = tag_index(prefix, epoch, ARGV[first_tag - 1 + i])
		local start = 0
		while true do
			local members = redis.call('ZRANGE', index, start, start + batch - 1)
			if #members == 0 then
				break
			end
			deleted = deleted + delete_pages(members)
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
return near_caches(KEYS[3], {deleted, seq, epoch or ''})
