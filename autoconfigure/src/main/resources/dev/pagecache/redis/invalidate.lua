-- Record an invalidation of tags and drop the pages that carry them.
-- KEYS[1] {ns}:sequence, the invalidation counter
-- KEYS[2] {ns}:epoch
-- KEYS[3] {ns}:near-cache:instances, the registered near caches
-- KEYS[4] {ns}:replication, the replication id the epoch was begun under
-- KEYS[5] {ns}:hot, the hot list (hot.lua)
-- ARGV[1] the TTL of the counter and the epoch in ms, ARGV[2] a new epoch, used when the counter was lost,
-- ARGV[3] the key prefix '{ns}:', ARGV[4] how long the miss reason of a deleted page says 'invalidated' in
-- ms (0: none), ARGV[5] the channel of the near caches, ARGV[6] the lowest score of a hot page, ARGV[7] the
-- most hot pages returned (0: none, and the hot list is not read), ARGV[8] the number k of reported tags (0:
-- report nothing), ARGV[9..8+k] the reported tags, ARGV[9+k..8+k+n] the tags
-- The tag state hash, the indexes, pages, their tags and miss reasons are derived here from the current epoch and the
-- index members; they share the namespace's hash tag with the declared keys.
-- Publishes the invalidation to the near caches: 'i', the new counter value, the epoch and the tags, one a
-- line. Returns the number of pages deleted, the counter value, the epoch, the report (for each reported tag, the
-- index members of the deleted pages that carry it: exactly those this call deleted; empty when k is 0), the
-- server's time in ms and the registered near caches (name and registration expiry in ms, in turn), which the
-- caller waits for, and last the hot pages among the pages this call deleted (index member and score, in turn,
-- best first, at most ARGV[7]).
-- A tag whose index is gone (evicted) while pages that carry it have not expired keeps its invalidation in the
-- tag state until they do, and marks the epoch as having orphans ({ns}:replication), so that lookups check
-- pages' tags against it (validate.lua). A lost tag state replaces the epoch.
-- Out of memory under 'noeviction', when nothing can be written, the pages of the tags are deleted anyway
-- and the epoch is forgotten (deleting is allowed), so every page is a miss until a lookup can begin a new
-- epoch; the near caches are told to drop everything.
local batch = 1000
local prefix = ARGV[3]
local retention = tonumber(ARGV[4])
local min_hot = tonumber(ARGV[6])
local max_hot = tonumber(ARGV[7])
local reported = tonumber(ARGV[8])
local first_tag = 9 + reported
local n = #ARGV - first_tag + 1
local epoch = redis.call('GET', KEYS[2])
local report = {}
for j = 1, reported do
	report[j] = {}
end
local hot = {}

-- adds a page this call deletes to the hot pages if its score is high enough
local function add_hot(member, score)
	if score and tonumber(score) >= min_hot then
		hot[#hot + 1] = {member, tonumber(score), score}
	end
end

-- the best hot pages, member and score in turn
local function best_hot()
	table.sort(hot, function(a, b) return a[2] > b[2] end)
	local best = {}
	for j = 1, math.min(#hot, max_hot) do
		best[#best + 1] = hot[j][1]
		best[#best + 1] = hot[j][3]
	end
	return best
end

-- adds a deleted page's member to the report of each reported tag whose index holds it
local function report_deleted(member)
	for j = 1, reported do
		if redis.call('ZSCORE', tag_index(prefix, epoch, ARGV[8 + j]), member) then
			local members = report[j]
			members[#members + 1] = member
		end
	end
end

-- deletes the pages of a batch of index members; returns how many were still there
local function delete_pages(members, mark)
	local deleted = 0
	if mark or reported > 0 then
		-- page by page, so that only pages that were still there are marked 'invalidated' and reported
		for _, member in ipairs(members) do
			local id = page_id(member)
			if redis.call('DEL', prefix .. id) == 1 then
				deleted = deleted + 1
				if mark then
					redis.call('SET', prefix .. MISS_REASON .. id, 'i', 'PX', retention)
				end
				redis.call('DEL', prefix .. PAGE_TAGS .. id)
				report_deleted(member)
				if max_hot > 0 then
					add_hot(member, redis.call('ZSCORE', KEYS[5], member))
				end
			end
		end
		return deleted
	end
	if max_hot > 0 then
		-- the scores of the batch at once; only the few hot pages are checked for being there
		local scores = redis.call('ZMSCORE', KEYS[5], unpack(members))
		for j, score in ipairs(scores) do
			if score and redis.call('EXISTS', prefix .. page_id(members[j])) == 1 then
				add_hot(members[j], score)
			end
		end
	end
	local pages = {}
	local tags = {}
	for j, member in ipairs(members) do
		pages[j] = prefix .. page_id(member)
		tags[j] = prefix .. PAGE_TAGS .. page_id(member)
	end
	redis.call('DEL', unpack(tags))
	return redis.call('DEL', unpack(pages))
end

-- deletes the pages of a tag's index and the index; returns how many were still there
local function delete_indexed(tag, mark)
	local index = tag_index(prefix, epoch, tag)
	local deleted = 0
	local start = 0
	while true do
		local members = redis.call('ZRANGE', index, start, start + batch - 1)
		if #members == 0 then
			break
		end
		deleted = deleted + delete_pages(members, mark)
		if #members < batch then
			break
		end
		start = start + batch
	end
	redis.call('DEL', index)
	return deleted
end

local counted = redis.call('EXISTS', KEYS[1]) == 1
local seq = redis.pcall('INCR', KEYS[1])
if type(seq) == 'table' then
	local deleted = 0
	if epoch then
		for i = 1, n do
			deleted = deleted + delete_indexed(ARGV[first_tag - 1 + i], false)
		end
		redis.call('DEL', KEYS[2])
	end
	local message = {'i', 0, ''}
	for i = 1, n do
		message[3 + i] = ARGV[first_tag - 1 + i]
	end
	redis.call('PUBLISH', ARGV[5], table.concat(message, '\n'))
	-- their acknowledgements cannot be written either: the caller waits until their registrations, which bound
	-- how long they trust their pages without a heartbeat, have run out
	local reply = near_caches(KEYS[3], {deleted, 0, '', report})
	reply[#reply + 1] = best_hot()
	return reply
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])

local deleted = 0
if epoch then
	local state = tag_state_key(prefix, epoch)
	local lost = redis.call('EXISTS', state) == 0
	local now = now_millis()
	for i = 1, n do
		local tag = ARGV[first_tag - 1 + i]
		local tag_state = read_tag_state(redis.call('HGET', state, tag))
		local orphans_until = tag_state.orphans_until
		if tag_state.pages_until > now and redis.call('EXISTS', tag_index(prefix, epoch, tag)) == 0 then
			-- pages that carry the tag are outside its index (it was evicted): this invalidation cannot find them,
			-- so lookups check pages' tags against the state written here until they expire
			orphans_until = math.max(orphans_until, tag_state.pages_until)
		end
		if orphans_until > now and not lost then
			record_orphans(KEYS[4], orphans_until)
		end
		deleted = deleted + delete_indexed(tag, retention > 0)
		if not lost then
			write_tag_state(state, tag, {pages_until = 0, invalidated = seq, invalidated_at = now,
				orphans_until = orphans_until})
		end
	end
	if lost then
		-- the record of the tags' invalidations is gone: every page of the epoch becomes a miss
		redis.call('DEL', KEYS[2])
		epoch = false
	end
end
if not counted or not epoch then
	-- the counter started over (sequences read before are meaningless), or the epoch is gone: begin a new one
	begin_epoch(prefix, KEYS[2], KEYS[4], ARGV[2], ARGV[1])
	epoch = ARGV[2]
else
	redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
local message = {'i', seq, epoch}
for i = 1, n do
	message[3 + i] = ARGV[first_tag - 1 + i]
end
redis.call('PUBLISH', ARGV[5], table.concat(message, '\n'))
local reply = near_caches(KEYS[3], {deleted, seq, epoch, report})
reply[#reply + 1] = best_hot()
return reply
