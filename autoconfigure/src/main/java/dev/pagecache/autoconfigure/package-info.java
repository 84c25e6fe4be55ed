/**
 * Auto-configuration for pagecache.
 */
@NullMarked
package dev.pagecache.autoconfigure;

import org.jspecify.annotations.NullMarked;
