-- Count the members of a tag's index in the current epoch whose pages still exist.
-- KEYS[1] {ns}:epoch
-- ARGV[1] the key prefix '{ns}:', ARGV[2] the tag
return #live_members(ARGV[1], KEYS[1], ARGV[2])
