-- Give back the render lease of a page, if the caller still holds it.
-- KEYS[1] {ns}:render-lease:<page id>, the lease
-- ARGV[1] the name of the instance that took it
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
