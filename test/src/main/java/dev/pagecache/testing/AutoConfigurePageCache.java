package dev.pagecache.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.pagecache.autoconfigure.PageCacheProperties.StoreType;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Loads pagecache into a test slice, such as {@code @WebMvcTest}, which would otherwise
 * leave it out: {@code @CachePage} handlers are cached, answer with {@code X-Page-Cache},
 * and the {@link dev.pagecache.PageCache} bean can be injected. The auto-configurations
 * it imports are listed in
 * {@code META-INF/spring/dev.pagecache.testing.AutoConfigurePageCache.imports}.
 * <p>
 * The pages are kept in the in-memory store, so that a slice test needs no Redis. A test
 * that sets {@link #store()} to {@link StoreType#REDIS} needs a Redis connection, for
 * example a {@code DataRedisConnectionDetails} bean from Testcontainers'
 * {@code @ServiceConnection}, with {@code DataRedisAutoConfiguration} imported.
 *
 * <pre class="code">
 * &#64;WebMvcTest(BlogController.class)
 * &#64;AutoConfigurePageCache
 * class BlogPageTests { ... }
 * </pre>
 *
 * @author pagecache
 * @see PageCacheResultMatchers
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("pagecache")
public @interface AutoConfigurePageCache {

	/**
	 * The page store of the test, as {@code pagecache.store}.
	 * @return the page store, the in-memory one by default
	 */
	StoreType store() default StoreType.MEMORY;

}
