/**
 * Test support for applications that use pagecache: {@link AutoConfigurePageCache} for
 * Spring MVC slice tests and {@link PageCacheResultMatchers} for MockMvc.
 */
@NullMarked
package dev.pagecache.testing;

import org.jspecify.annotations.NullMarked;
