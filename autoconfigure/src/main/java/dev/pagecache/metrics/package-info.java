/**
 * Statistics of the page cache: per-page counts on this instance, their sum over the
 * fleet (every instance sharing the store), and Micrometer meters.
 */
@NullMarked
package dev.pagecache.metrics;

import org.jspecify.annotations.NullMarked;
