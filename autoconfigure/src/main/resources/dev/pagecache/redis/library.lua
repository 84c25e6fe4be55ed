-- Shared by the scripts that LuaScript loads with the library, after the constants that RedisKeys declares
-- (DIGESTED_PAGE, DIGESTED_PAGE_ID_LENGTH, MISS_REASON, TAG_INDEX, TAG_STATE, PAGE_TAGS), so that both languages
-- name keys alike.

-- The server's time in ms: the clock that expires keys.
local function now_millis()
	local time = redis.call('TIME')
	return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- The page id of a tag index member: the member itself, or its start when the key is digested.
local function page_id(member)
	if string.sub(member, 1, #DIGESTED_PAGE) == DIGESTED_PAGE then
		return string.sub(member, 1, DIGESTED_PAGE_ID_LENGTH)
	end
	return member
end

-- The index of the pages that carry a tag in an epoch.
local function tag_index(prefix, epoch, tag)
	return prefix .. TAG_INDEX .. epoch .. ':' .. tag
end

-- The hash that records, for each tag of an epoch, until when pages that carry it may exist and its last
-- invalidation; its field '' holds the epoch, written when the epoch begins, so that a missing hash is told
-- apart from an empty one.
local function tag_state_key(prefix, epoch)
	return prefix .. TAG_STATE .. epoch
end

-- A tag's state: until when pages that carry it may exist (its index with them), the counter value and the
-- time in ms of its last invalidation, and until when pages that carry it may exist outside its index
-- (orphans: their index was lost and a later store began a new one); zeros for a tag without state.
local function read_tag_state(value)
	local state = {pages_until = 0, invalidated = 0, invalidated_at = 0, orphans_until = 0}
	if value then
		local a, b, c, d = string.match(value, '^(%d+):(%d+):(%d+):(%d+)$')
		if a then
			state.pages_until, state.invalidated = tonumber(a), tonumber(b)
			state.invalidated_at, state.orphans_until = tonumber(c), tonumber(d)
		end
	end
	return state
end

local function write_tag_state(key, tag, state)
	redis.call('HSET', key, tag, string.format('%d:%d:%d:%d', state.pages_until, state.invalidated,
		state.invalidated_at, state.orphans_until))
end

-- The server's replication id, which a promoted replica and a server restarted without its history replace:
-- the writes acknowledged under the old one may be lost. Empty where INFO is refused (renamed or denied on
-- some managed services): the cache keeps working there, without this check.
local function replication_id()
	local info = redis.pcall('INFO', 'replication')
	if type(info) ~= 'string' then
		return ''
	end
	return string.match(info, 'master_replid:(%w+)') or ''
end

-- What {ns}:replication records: the replication id the epoch was begun under and, after a space, until when
-- (server ms) pages of the epoch may exist outside their tags' indexes, while it is in the future: lookups then
-- check each page's tags against the tag state (validate.lua). Nil and 0 for a missing value.
local function read_replication(value)
	if not value then
		return nil, 0
	end
	local id, orphans_until = string.match(value, '^(%S*) (%d+)$')
	if id then
		return id, tonumber(orphans_until)
	end
	return value, 0
end

-- Record that pages of the epoch may exist outside their tags' indexes until a time (server ms): an index was
-- lost (evicted) while pages that carry its tag had not expired.
local function record_orphans(replication_key, orphans_until)
	local value = redis.call('GET', replication_key)
	local id, recorded = read_replication(value)
	if id and orphans_until > recorded then
		redis.call('SET', replication_key, id .. ' ' .. string.format('%d', orphans_until), 'KEEPTTL')
	end
end

-- Stop checking pages' tags on lookups once every page that may be outside its tags' indexes has expired.
local function forget_expired_orphans(replication_key, now)
	local id, orphans_until = read_replication(redis.call('GET', replication_key))
	if id and orphans_until > 0 and orphans_until <= now then
		redis.call('SET', replication_key, id, 'KEEPTTL')
	end
end

-- Begin an epoch: the epoch, the replication id it was begun under and its tag state hash.
local function begin_epoch(prefix, epoch_key, replication_key, epoch, ttl)
	redis.call('SET', epoch_key, epoch, 'PX', ttl)
	redis.call('SET', replication_key, replication_id(), 'PX', ttl)
	local state = tag_state_key(prefix, epoch)
	redis.call('DEL', state)
	redis.call('HSET', state, '', epoch)
	redis.call('PEXPIRE', state, ttl)
end

-- A tag's index in the current epoch, and how many of its members have not expired: members are scored by
-- their page's expiry, so those are the ones ranked first by ZREVRANGE. No index (nil) when there is no epoch.
local function unexpired_index(prefix, epoch_key, tag)
	local epoch = redis.call('GET', epoch_key)
	if not epoch then
		return nil, 0
	end
	local index = tag_index(prefix, epoch, tag)
	return index, redis.call('ZCOUNT', index, string.format('(%d', now_millis()), '+inf')
end

-- Whether the page of a tag index member still exists: an index keeps the members of pages deleted through
-- another of their tags until it is pruned.
local function page_exists(prefix, member)
	return redis.call('EXISTS', prefix .. page_id(member)) == 1
end

-- The registered near caches, appended to a reply as name and registration expiry in ms on the server's
-- clock, after the server's time in ms and the time the registrations began (their hash's field 'created',
-- set by the heartbeat that creates the hash; 0 when there is no hash). Expired registrations are removed.
local function near_caches(instances, reply)
	local now = now_millis()
	reply[#reply + 1] = now
	local created = #reply + 1
	reply[created] = 0
	local entries = redis.call('HGETALL', instances)
	for i = 1, #entries, 2 do
		local expiry = tonumber(entries[i + 1])
		if entries[i] == 'created' then
			reply[created] = expiry
		elseif expiry > now then
			reply[#reply + 1] = entries[i]
			reply[#reply + 1] = expiry
		else
			redis.call('HDEL', instances, entries[i])
		end
	end
	return reply
end
