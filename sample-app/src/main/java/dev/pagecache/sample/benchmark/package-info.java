/**
 * What the benchmarks need besides the blog: a ceiling to compare hits with, and the
 * naive invalidation policies the workload benchmark compares with the starter's. Active
 * only with the {@code benchmark} profile.
 */
@NullMarked
package dev.pagecache.sample.benchmark;

import org.jspecify.annotations.NullMarked;
