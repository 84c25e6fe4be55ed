/**
 * The Redis page store and its near cache: guarded stores and tag invalidation in Lua,
 * the near caches' freshness protocol in small package-private parts.
 */
@NullMarked
package dev.pagecache.redis;

import org.jspecify.annotations.NullMarked;
