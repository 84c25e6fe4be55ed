-- Read a page with the counter and the epoch that guard it: one round trip.
-- KEYS[1] {ns}:<page id>, the page, KEYS[2] {ns}:sequence, the invalidation counter, KEYS[3] {ns}:epoch,
-- KEYS[4] {ns}:replication, the replication id the epoch was begun under, KEYS[5] {ns}:miss-reason:<page id>,
-- only when miss reasons are written
-- Returns the values of KEYS[1], KEYS[2], KEYS[3] and KEYS[5], in order, with false for the epoch when the
-- server's replication id is not the epoch's: after a failover, or a restart that kept data but not its
-- history, invalidations acknowledged before may be lost, so no page of the epoch is trusted and the caller
-- begins a new one (create-epoch.lua).
local values = redis.call('MGET', unpack(KEYS))
if values[4] ~= replication_id() then
	values[3] = false
end
return {values[1], values[2], values[3], values[5]}
