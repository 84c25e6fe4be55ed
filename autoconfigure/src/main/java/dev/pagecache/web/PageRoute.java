package dev.pagecache.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.store.PageEntry;

import org.springframework.web.util.pattern.PathPattern;

/**
 * A {@code @CachePage} handler as the filter sees it: the URL pattern it serves and how
 * its pages are keyed, tagged and kept.
 *
 * @param pattern the URL pattern
 * @param method the handler method
 * @param ttl how long its pages live
 * @param staleWhileRevalidate how long after its TTL a page may still be served while it
 * is rendered again; zero for never
 * @param staticTags the tags every page of the route carries (the route tag and
 * {@code dependsOn})
 * @param varyHeaders the lower-case names of the request headers that are part of the
 * key, sorted
 * @param keyedParams the query parameters that are part of the key, sorted
 * @param allParams whether every query parameter is part of the key (the handler binds
 * them all)
 * @param attributes for each entity type whose shown attributes the route names, those
 * attributes
 * @param convertedArguments the path variables and keyed query parameters that Spring MVC
 * converts to another type than {@code String}, or {@code null} if none
 * @author pagecache
 */
record PageRoute(PathPattern pattern, Method method, Duration ttl, Duration staleWhileRevalidate,
		Set<String> staticTags, List<String> varyHeaders, List<String> keyedParams, boolean allParams,
		Map<String, List<String>> attributes, @Nullable ConvertedArguments convertedArguments) {

	/**
	 * The name of the page kind, for the statistics and meters: the URL pattern, never a
	 * raw URL.
	 * @return the name
	 */
	String name() {
		return this.pattern.getPatternString();
	}

	/**
	 * How long its pages are kept in the store: the TTL, and the time they may be served
	 * stale after it.
	 * @return the time to keep a page
	 */
	Duration storeTtl() {
		return this.ttl.plus(this.staleWhileRevalidate);
	}

	/**
	 * Whether a page of this route has outlived its TTL (and is kept only to be served
	 * stale).
	 * @param entry the page
	 * @param now the current time in epoch milliseconds
	 * @return {@code true} if expired
	 */
	boolean isExpired(PageEntry entry, long now) {
		return !this.staleWhileRevalidate.isZero() && now - entry.storedAt() >= this.ttl.toMillis();
	}

	/**
	 * Add a tag to a page of this route: the instance tag of an entity whose type's
	 * attributes the route names ({@code Post#42}) becomes the tags of those attributes
	 * ({@code Post#42.title}) and of changes that name no attribute ({@code Post#42.*}).
	 * @param tags the page's tags
	 * @param tag the tag to add
	 */
	void addTag(Collection<String> tags, String tag) {
		if (!this.attributes.isEmpty()) {
			int hash = tag.indexOf('#');
			List<String> shown = (hash > 0) ? this.attributes.get(tag.substring(0, hash)) : null;
			if (shown != null && PageTags.childrenOfDeclared(tag) != null) {
				String entity = tag.substring(0, hash);
				String id = tag.substring(hash + 1);
				for (String attribute : shown) {
					tags.add(PageTags.attribute(entity, id, attribute));
				}
				tags.add(PageTags.anyAttributeOf(entity, id));
				return;
			}
		}
		tags.add(tag);
	}

	/**
	 * Why a request of this route must bypass the cache because a path variable or a
	 * keyed query parameter is not written as its converted value is (a leading zero, a
	 * sign, a space), or {@code null} when every one is.
	 * @param request a request this route matched
	 * @return the reason, or {@code null}
	 */
	@Nullable String nonCanonicalArgument(HttpServletRequest request) {
		return (this.convertedArguments != null) ? this.convertedArguments.nonCanonicalReason(request) : null;
	}

	boolean isKeyed(String param) {
		return this.allParams || this.keyedParams.contains(param);
	}

}
