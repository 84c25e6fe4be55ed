-- Whether a page is still fresh while pages of its epoch may be outside their tags' indexes (an index was
-- evicted, so an invalidation may not have found them): none of its tags was invalidated after the counter
-- value its render started from.
-- KEYS[1] {ns}:tag-state:<epoch>
-- ARGV[1] the counter value the page's render started from, ARGV[2..] the page's tags
-- Returns 1 when the page is fresh, 0 when one of its tags was invalidated since, -1 when the tag state is
-- lost (a put then forgets the epoch).
local states = redis.call('HMGET', KEYS[1], '', unpack(ARGV, 2))
if not states[1] then
	return -1
end
local since = tonumber(ARGV[1])
for i = 2, #states do
	if read_tag_state(states[i]).invalidated > since then
		return 0
	end
end
return 1
