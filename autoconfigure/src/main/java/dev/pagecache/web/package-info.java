/**
 * The servlet filter, handler interceptor and cache keys that serve and capture pages.
 */
@NullMarked
package dev.pagecache.web;

import org.jspecify.annotations.NullMarked;
