/**
 * Figures of the page cache: per-page counters, their aggregation across instances, and
 * Micrometer meters.
 */
@NullMarked
package dev.pagecache.metrics;

import org.jspecify.annotations.NullMarked;
