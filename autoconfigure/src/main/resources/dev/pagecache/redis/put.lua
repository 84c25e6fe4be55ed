-- Store a page unless the store moved past the lookup the render started from, or lost what would let an
-- invalidation find the page.
-- KEYS[1]         {ns}:<page id>, the page
-- KEYS[2]         {ns}:sequence, the invalidation counter
-- KEYS[3]         {ns}:epoch
-- KEYS[4]         {ns}:replication, the replication id the epoch was begun under
-- KEYS[5..4+n]    {ns}:tag:<epoch>:<tag>, each tag's index
-- KEYS[5+n]       {ns}:miss-reason:<page id>, the page's miss reason
-- KEYS[6+n]       {ns}:render-lease:<page id>, the page's render lease, given back once stored
-- ARGV[1] the lookup's epoch, ARGV[2] the lookup's sequence, ARGV[3] the entry TTL in ms,
-- ARGV[4] the value (see PageValue), ARGV[5] the index member,
-- ARGV[6] the TTL of the counter and the epoch in ms, ARGV[7] how long the miss reason outlives the page in
-- ms (0: none), ARGV[8] which of the tags (1..n) is the route's, whose index counts the route's pages
-- (0: none), ARGV[9] the most pages a route may have (0: no limit), ARGV[10] the name of the instance in
-- the render leases it takes, ARGV[11] the key prefix '{ns}:', ARGV[12] the longest render time in ms,
-- ARGV[13..12+n] the tags
-- The tag state hash {ns}:tag-state:<epoch> and the page's tags {ns}:page-tags:<page id> are derived here;
-- they share the namespace's hash tag.
-- A tag whose index is gone while its state says pages carry it (evicted) is marked as having orphans until
-- those pages expire, and so is the epoch (in {ns}:replication), so that lookups check pages' tags until then.
-- Returns 1 when stored, 0 when refused by the guard, 2 when refused because the route is full of pages
-- used more recently than the least used of a sample.
local epoch = ARGV[1]
if redis.call('GET', KEYS[3]) ~= epoch then
	return 0
end
if not redis.call('GET', KEYS[2]) or read_replication(redis.call('GET', KEYS[4])) ~= replication_id() then
	-- the counter was lost, or the history changed: the next lookup begins a new epoch
	return 0
end
local prefix = ARGV[11]
local n = (#KEYS - 6)
local first_tag = 12
local state = tag_state_key(prefix, epoch)
if redis.call('EXISTS', state) == 0 then
	-- the record of which tags have pages was lost (evicted): an invalidation could miss pages stored before,
	-- so the epoch is forgotten and every page of it becomes a miss
	redis.call('DEL', KEYS[3])
	return 0
end
local since = tonumber(ARGV[2])
local now = now_millis()
local states = (n > 0) and redis.call('HMGET', state, unpack(ARGV, first_tag + 1, first_tag + n)) or {}
for i = 1, n do
	local tag = read_tag_state(states[i])
	if tag.invalidated > since then
		return 0
	end
	if tag.pages_until > now and redis.call('EXISTS', KEYS[4 + i]) == 0 then
		-- the index that held the tag's pages is gone (evicted): no invalidation can find those pages any
		-- more, so until they expire, lookups check every page's tags against the tag state
		tag.orphans_until = math.max(tag.orphans_until, tag.pages_until)
		tag.pages_until = 0
		write_tag_state(state, ARGV[first_tag + i], tag)
		record_orphans(KEYS[4], tag.orphans_until)
	end
	states[i] = tag
end

-- Delete a page with its tags, its index members and its miss reason, so that a route that churns its pages
-- keeps as many records as pages.
local function delete_page(index, member)
	local id = page_id(member)
	local tags = redis.call('GET', prefix .. PAGE_TAGS .. id)
	if tags then
		for tag in string.gmatch(tags, '[^\n]+') do
			local tag_index_key = tag_index(prefix, epoch, tag)
			redis.call('ZREM', tag_index_key, member)
			if redis.call('EXISTS', tag_index_key) == 0 then
				-- no page in the index carries the tag any more: its state must not expect the index
				local tag_state = read_tag_state(redis.call('HGET', state, tag))
				tag_state.pages_until = 0
				write_tag_state(state, tag, tag_state)
			end
		end
	end
	redis.call('ZREM', index, member)
	redis.call('DEL', prefix .. id, prefix .. PAGE_TAGS .. id, prefix .. MISS_REASON .. id)
end

-- Make room in a full route: delete the least used of a sample of its pages, as Redis's own LRU and LFU
-- eviction do, so that a flood of new pages churns cold pages and never locks the hot ones out. Use is the
-- idle time under an LRU policy or none, the access frequency under an LFU one. Redis counts idle time in
-- seconds, so during a flood every page stored or read within the last second looks equally used: among
-- those, the one stored first goes first, and the next store of a hot page puts it last in that order.
local function least_used(index)
	local sample = redis.call('ZRANDMEMBER', index, 8, 'WITHSCORES')
	local chosen, chosen_use, chosen_expiry
	for i = 1, #sample, 2 do
		local member, expiry = sample[i], tonumber(sample[i + 1])
		local page = prefix .. page_id(member)
		if redis.call('EXISTS', page) == 0 then
			return member
		end
		local use = redis.pcall('OBJECT', 'IDLETIME', page)
		if type(use) == 'number' then
			use = -use
		else
			use = redis.call('OBJECT', 'FREQ', page)
		end
		if not chosen or use < chosen_use or (use == chosen_use and expiry < chosen_expiry) then
			chosen, chosen_use, chosen_expiry = member, use, expiry
		end
	end
	return chosen
end

local route = tonumber(ARGV[8])
local limit = tonumber(ARGV[9])
if route > 0 and limit > 0 then
	local index = KEYS[4 + route]
	if not redis.call('ZSCORE', index, ARGV[5]) then
		redis.call('ZREMRANGEBYSCORE', index, '-inf', string.format('(%d', now))
		local excess = redis.call('ZCARD', index) - limit + 1
		if excess > 8 then
			-- the limit was lowered: a few stores at a time bring the route back under it
			return 2
		end
		for _ = 1, excess do
			delete_page(index, least_used(index))
		end
	end
end

local ttl = tonumber(ARGV[3])
local expiry = now + ttl
-- the page and its index entries expire at the same instant, so that a tag's state knows exactly until when
-- its index must exist
redis.call('SET', KEYS[1], ARGV[4], 'PXAT', expiry)
if n > 0 then
	redis.call('SET', prefix .. PAGE_TAGS .. string.sub(KEYS[1], #prefix + 1),
		table.concat(ARGV, '\n', first_tag + 1, first_tag + n), 'PXAT', expiry)
end
for i = 1, n do
	local index = KEYS[4 + i]
	redis.call('ZREMRANGEBYSCORE', index, '-inf', string.format('(%d', now))
	redis.call('ZADD', index, expiry, ARGV[5])
	-- the index lives exactly as long as its last page (PEXPIRETIME would need Redis 7)
	redis.call('PEXPIREAT', index, redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')[2])
	if states[i].pages_until < expiry then
		states[i].pages_until = expiry
		write_tag_state(state, ARGV[first_tag + i], states[i])
	end
end

-- forget the state of a few tags that no page carries any more and that no render in progress can need
local render = tonumber(ARGV[12])
for _, tag in ipairs(redis.call('HRANDFIELD', state, 2 * n + 2)) do
	if tag ~= '' then
		local tag_state = read_tag_state(redis.call('HGET', state, tag))
		if tag_state.pages_until <= now and tag_state.orphans_until <= now
			and tag_state.invalidated_at + render <= now then
			redis.call('HDEL', state, tag)
		end
	end
end

local retention = tonumber(ARGV[7])
if retention > 0 then
	-- 's', the epoch and the page's expiry: once the page is gone, a lookup tells expiry from eviction
	-- and from a clear (a new epoch)
	redis.call('SET', KEYS[5 + n], 's' .. epoch .. string.format('%d', expiry), 'PX', ttl + retention)
end
forget_expired_orphans(KEYS[4], now)
redis.call('PEXPIRE', KEYS[2], ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[6])
redis.call('PEXPIRE', KEYS[4], ARGV[6])
redis.call('PEXPIRE', state, ARGV[6])
if redis.call('GET', KEYS[6 + n]) == ARGV[10] then
	redis.call('DEL', KEYS[6 + n])
end
return 1
