package dev.pagecache.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;

import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.util.UriUtils;

/**
 * MockMvc result matchers for what pagecache did with a request: whether it was served
 * from the cache, and which tags its page carries.
 *
 * <pre class="code">
 * mvc.perform(get("/posts/42"))
 * 	.andExpect(pageCache().miss())
 * 	.andExpect(pageCache().dependsOn("Post#42"));
 * mvc.perform(get("/posts/42")).andExpect(pageCache().hit());
 * </pre>
 *
 * They read only pagecache's public contract: the {@code X-Page-Cache} response header
 * and {@link PageCache#pagesTagged(String)}. With {@code MockMvcTester}, pass them to
 * {@code assertThat(result).matches(...)}.
 *
 * @author pagecache
 * @see PageInvalidations
 */
public final class PageCacheResultMatchers {

	/**
	 * The response header that says what the cache did with a request.
	 */
	public static final String HEADER = "X-Page-Cache";

	private PageCacheResultMatchers() {
	}

	/**
	 * The entry point of the matchers, for a static import.
	 * @return the matchers
	 */
	public static PageCacheResultMatchers pageCache() {
		return new PageCacheResultMatchers();
	}

	/**
	 * The response was served from the cache ({@code X-Page-Cache: HIT}).
	 * @return the matcher
	 */
	public ResultMatcher hit() {
		return status("HIT");
	}

	/**
	 * The response was rendered by the application ({@code X-Page-Cache: MISS}), and
	 * stored if it could be.
	 * @return the matcher
	 */
	public ResultMatcher miss() {
		return status("MISS");
	}

	/**
	 * The request did not use the cache ({@code X-Page-Cache: BYPASS}): credentials, a
	 * URL that is not canonical, or a store that is unavailable.
	 * @return the matcher
	 */
	public ResultMatcher bypass() {
		return status("BYPASS");
	}

	/**
	 * The page of this request is in the cache and carries every one of the tags, so that
	 * invalidating any of them drops it.
	 * @param tags the tags, such as {@code Post#42} (see {@link PageTags})
	 * @return the matcher
	 */
	public ResultMatcher dependsOn(String... tags) {
		return (result) -> {
			List<String> missing = new ArrayList<>();
			for (String tag : tags) {
				if (pageKeys(result, tag).isEmpty()) {
					missing.add(tag);
				}
			}
			if (!missing.isEmpty()) {
				throw new AssertionError("Expected the page of " + describe(result.getRequest()) + " to depend on "
						+ missing + ", but no page of it in the cache carries " + ((missing.size() > 1) ? "them" : "it")
						+ " (X-Page-Cache: " + statusOf(result) + "; pages tagged " + missing.get(0) + ": "
						+ pageCacheOf(result).pagesTagged(missing.get(0)) + ")");
			}
		};
	}

	/**
	 * The page of this request is in the cache and carries none of the tags, so that
	 * invalidating them keeps it.
	 * @param tags the tags, such as {@code Post#43}
	 * @return the matcher
	 */
	public ResultMatcher doesNotDependOn(String... tags) {
		return (result) -> {
			String path = pathOf(result.getRequest());
			if (pageCacheOf(result).pagesTagged(PageTags.path(path)).isEmpty()) {
				throw new AssertionError("Expected the page of " + describe(result.getRequest())
						+ " to be in the cache, but it is not (X-Page-Cache: " + statusOf(result) + ")");
			}
			for (String tag : tags) {
				List<String> keys = pageKeys(result, tag);
				if (!keys.isEmpty()) {
					throw new AssertionError("Expected the page of " + describe(result.getRequest())
							+ " not to depend on " + tag + ", but it carries it: " + keys);
				}
			}
		};
	}

	private static ResultMatcher status(String expected) {
		return (result) -> {
			String actual = statusOf(result);
			if (!expected.equals(actual)) {
				throw new AssertionError("Expected " + describe(result.getRequest()) + " to be a " + expected
						+ " of the page cache, but "
						+ ((actual != null) ? "it was a " + actual
								: "the response has no " + HEADER + " header: is the handler a @CachePage one, "
										+ "and pagecache loaded (@AutoConfigurePageCache in a slice test)?"));
			}
		};
	}

	static @Nullable String statusOf(MvcResult result) {
		return result.getResponse().getHeader(HEADER);
	}

	/**
	 * The keys of the pages that carry a tag and are pages of this request: the same
	 * path, and only query parameters that the request sent too (a route keys some of
	 * them).
	 */
	private static List<String> pageKeys(MvcResult result, String tag) {
		HttpServletRequest request = result.getRequest();
		PageCache pageCache = pageCacheOf(result);
		List<String> ofPath = pageCache.pagesTagged(PageTags.path(pathOf(request)));
		List<String> keys = new ArrayList<>();
		for (String key : pageCache.pagesTagged(tag)) {
			if (ofPath.contains(key) && queryIsPartOf(key, request)) {
				keys.add(key);
			}
		}
		return keys;
	}

	private static boolean queryIsPartOf(String key, HttpServletRequest request) {
		int end = key.indexOf(' ', "GET ".length());
		String url = (end >= 0) ? key.substring(0, end) : key;
		int question = url.indexOf('?');
		if (question < 0) {
			return true;
		}
		for (String pair : url.substring(question + 1).split("&")) {
			int equals = pair.indexOf('=');
			String name = UriUtils.decode(pair.substring(0, Math.max(equals, 0)), "UTF-8");
			String value = UriUtils.decode(pair.substring(equals + 1), "UTF-8");
			String[] sent = request.getParameterValues(name);
			if (sent == null || !Arrays.asList(sent).contains(value)) {
				return false;
			}
		}
		return true;
	}

	static String pathOf(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String path = uri.substring(Math.min(request.getContextPath().length(), uri.length()));
		return UriUtils.decode(path, "UTF-8");
	}

	static String describe(HttpServletRequest request) {
		String query = request.getQueryString();
		return request.getMethod() + " " + request.getRequestURI() + (StringUtils.hasLength(query) ? "?" + query : "");
	}

	static PageCache pageCacheOf(MvcResult result) {
		HttpServletRequest request = result.getRequest();
		WebApplicationContext context = RequestContextUtils.findWebApplicationContext(request,
				request.getServletContext());
		if (context == null) {
			throw new IllegalStateException("No web application context found for " + describe(request)
					+ ": the page cache matchers need MockMvc built from the application context");
		}
		if (context.getBeanProvider(PageCache.class).getIfAvailable() == null) {
			throw new AssertionError("Expected a PageCache bean for " + describe(request)
					+ ", but pagecache is not loaded: add @AutoConfigurePageCache to a slice test");
		}
		return context.getBean(PageCache.class);
	}

}
