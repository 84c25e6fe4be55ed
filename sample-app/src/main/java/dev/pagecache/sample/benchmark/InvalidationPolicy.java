package dev.pagecache.sample.benchmark;

/**
 * How committed writes reach the page cache in the workload benchmark
 * ({@code blog.benchmark.policy}).
 *
 * @author pagecache
 */
public enum InvalidationPolicy {

	/**
	 * The starter's own JPA integration: a write drops the pages that showed what it
	 * changed.
	 */
	PRECISE,

	/**
	 * Every committed write empties the whole cache.
	 */
	DROP_ALL,

	/**
	 * Writes invalidate nothing: a page lives until its TTL
	 * ({@code pagecache.default-ttl}) ends.
	 */
	TTL_ONLY

}
