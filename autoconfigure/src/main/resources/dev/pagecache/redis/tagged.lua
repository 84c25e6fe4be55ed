-- Members of a tag's index whose pages still exist, newest first: those among the unexpired members ranked
-- ARGV[3] to ARGV[3] + ARGV[4] - 1 (rank 0 expires last), at most ARGV[5] of them. One call examines at most
-- ARGV[4] members however many pages carry the tag; a caller that wants every member reads slice after slice.
-- KEYS[1] {ns}:epoch
-- ARGV[1] the key prefix '{ns}:', ARGV[2] the tag, ARGV[3] the rank of the first member to examine,
-- ARGV[4] the most members to examine, ARGV[5] the most members to return
-- Returns the number of members examined, then those whose pages exist.
local index, unexpired = unexpired_index(ARGV[1], KEYS[1], ARGV[2])
local first = tonumber(ARGV[3])
local last = math.min(unexpired, first + tonumber(ARGV[4])) - 1
local wanted = tonumber(ARGV[5])
local reply = { 0 }
if not index or last < first then
	return reply
end
for _, member in ipairs(redis.call('ZREVRANGE', index, first, last)) do
	if #reply - 1 >= wanted then
		break
	end
	reply[1] = reply[1] + 1
	if page_exists(ARGV[1], member) then
		reply[#reply + 1] = member
	end
end
return reply
