/**
 * What the hit-path benchmark needs besides the blog: a ceiling to compare hits with. Active only with the
 * {@code benchmark} profile.
 */
@NullMarked
package dev.pagecache.sample.benchmark;

import org.jspecify.annotations.NullMarked;
