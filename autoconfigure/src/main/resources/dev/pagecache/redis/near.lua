-- Shared by the scripts that invalidate: the near caches whose lease runs, appended to a reply as name and
-- lease expiry in ms on the server's clock, after the server's time in ms. Expired leases are removed.
local function near_caches(leases, reply)
	local time = redis.call('TIME')
	local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
	reply[#reply + 1] = now
	local entries = redis.call('HGETALL', leases)
	for i = 1, #entries, 2 do
		local expiry = tonumber(entries[i + 1])
		if expiry > now then
			reply[#reply + 1] = entries[i]
			reply[#reply + 1] = expiry
		else
			redis.call('HDEL', leases, entries[i])
		end
	end
	return reply
end
