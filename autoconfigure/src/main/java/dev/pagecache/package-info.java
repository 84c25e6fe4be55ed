/**
 * The public API of pagecache: {@link dev.pagecache.CachePage} and
 * {@link dev.pagecache.PageCache}.
 */
@NullMarked
package dev.pagecache;

import org.jspecify.annotations.NullMarked;
