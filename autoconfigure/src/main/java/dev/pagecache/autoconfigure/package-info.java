/**
 * The configuration properties of pagecache ({@code pagecache.*}), which the
 * auto-configuration of each package binds.
 */
@NullMarked
package dev.pagecache.autoconfigure;

import org.jspecify.annotations.NullMarked;
