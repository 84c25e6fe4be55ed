/**
 * The page store contract, the entry format and the in-memory store.
 */
@NullMarked
package dev.pagecache.store;

import org.jspecify.annotations.NullMarked;
