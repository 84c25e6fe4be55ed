/**
 * The edge tier: shared caches in front of the application (Varnish, nginx, CDNs), the
 * purgers that drop their copies of invalidated pages, and the tag tokens pages carry for
 * them.
 */
@NullMarked
package dev.pagecache.edge;

import org.jspecify.annotations.NullMarked;
