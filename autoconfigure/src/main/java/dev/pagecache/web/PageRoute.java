package dev.pagecache.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.springframework.web.util.pattern.PathPattern;

/**
 * A {@code @CachePage} handler as the filter sees it: the URL pattern it serves and how its pages are keyed,
 * tagged and kept.
 *
 * @param pattern the URL pattern
 * @param method the handler method
 * @param ttl how long its pages live
 * @param staticTags the tags every page of the route carries (the route tag and {@code dependsOn})
 * @param varyHeaders the lower-case names of the request headers that are part of the key, sorted
 * @param keyedParams the query parameters that are part of the key, sorted
 * @param allParams whether every query parameter is part of the key (the handler binds them all)
 * @author pagecache
 */
record PageRoute(PathPattern pattern, Method method, Duration ttl, Set<String> staticTags, List<String> varyHeaders,
		List<String> keyedParams, boolean allParams) {

	/**
	 * The name of the page kind, for figures and meters: the URL pattern, never a raw URL.
	 * @return the name
	 */
	String name() {
		return this.pattern.getPatternString();
	}

	boolean isKeyed(String param) {
		return this.allParams || this.keyedParams.contains(param);
	}

}
