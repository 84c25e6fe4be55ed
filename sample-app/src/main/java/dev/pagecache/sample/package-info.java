/**
 * A small blog that shows pagecache at work: public pages served whole from the cache,
 * fresh after every write.
 */
package dev.pagecache.sample;
