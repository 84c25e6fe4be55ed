/**
 * The page store contract, what a store reports for statistics, the entry format and the
 * in-memory store.
 */
@NullMarked
package dev.pagecache.store;

import org.jspecify.annotations.NullMarked;
