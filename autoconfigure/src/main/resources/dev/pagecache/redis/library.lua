-- Shared by the scripts that LuaScript loads with the library, after the constants that RedisKeys declares
-- (DIGESTED_PAGE, DIGESTED_PAGE_ID_LENGTH, MISS_REASON, TAG_INDEX), so that both languages name keys alike.

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
-- clock, after the server's time in ms. Expired registrations are removed.
local function near_caches(instances, reply)
	local now = now_millis()
	reply[#reply + 1] = now
	local entries = redis.call('HGETALL', instances)
	for i = 1, #entries, 2 do
		local expiry = tonumber(entries[i + 1])
		if expiry > now then
			reply[#reply + 1] = entries[i]
			reply[#reply + 1] = expiry
		else
			redis.call('HDEL', instances, entries[i])
		end
	end
	return reply
end
