/**
 * The Redis page store: guarded stores and tag invalidation in Lua, with its own Lettuce
 * client settings.
 */
@NullMarked
package dev.pagecache.redis;

import org.jspecify.annotations.NullMarked;
