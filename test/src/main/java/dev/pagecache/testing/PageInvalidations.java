package dev.pagecache.testing;

import java.util.ArrayList;
import java.util.List;

import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.util.Assert;

/**
 * Which pages an action (a write through the application) invalidates, and which it
 * keeps, checked as a reader sees it.
 *
 * <pre class="code">
 * PageInvalidations.with(mvc)
 * 	.invalidated("/posts/42", "/")
 * 	.kept("/posts/43")
 * 	.whenPerforming(post("/posts/42/comments").param("body", "Nice"))
 * 	.andExpect(status().isSeeOther());
 * </pre>
 *
 * Before the action, each page is requested until it is in the cache (a second request
 * must be a {@code HIT}, or the check fails: a page that is not cached cannot show an
 * invalidation). After it, each page is requested once more: an invalidated page must be
 * a {@code MISS}, a kept one a {@code HIT}. Every page that answered otherwise is named
 * in one failure. Only the {@code X-Page-Cache} header is read.
 *
 * @author pagecache
 * @see PageCacheResultMatchers
 */
public final class PageInvalidations {

	private final MockMvc mvc;

	private final List<Page> pages = new ArrayList<>();

	private PageInvalidations(MockMvc mvc) {
		this.mvc = mvc;
	}

	/**
	 * Start the expectations of one action.
	 * @param mvc the MockMvc of a test that loads pagecache
	 * @return the expectations, none yet
	 */
	public static PageInvalidations with(MockMvc mvc) {
		Assert.notNull(mvc, "'mvc' must not be null");
		return new PageInvalidations(mvc);
	}

	/**
	 * Pages the action must invalidate.
	 * @param urls the URLs of the pages, requested with {@code GET}
	 * @return these expectations
	 */
	public PageInvalidations invalidated(String... urls) {
		return add(true, urls);
	}

	/**
	 * A page the action must invalidate, requested as the builder says (with headers, a
	 * locale, parameters).
	 * @param page the request of the page
	 * @return these expectations
	 */
	public PageInvalidations invalidated(RequestBuilder page) {
		return add(true, page, describe(page));
	}

	/**
	 * Pages the action must keep in the cache.
	 * @param urls the URLs of the pages, requested with {@code GET}
	 * @return these expectations
	 */
	public PageInvalidations kept(String... urls) {
		return add(false, urls);
	}

	/**
	 * A page the action must keep in the cache, requested as the builder says.
	 * @param page the request of the page
	 * @return these expectations
	 */
	public PageInvalidations kept(RequestBuilder page) {
		return add(false, page, describe(page));
	}

	/**
	 * Cache every page, perform the action, and check what became of each page.
	 * @param action the action, such as a {@code POST} that writes
	 * @return the result of the action, for further expectations on it
	 * @throws Exception when a request fails
	 * @throws AssertionError when a page was not cached before the action, or did not
	 * fare as expected
	 */
	public ResultActions whenPerforming(RequestBuilder action) throws Exception {
		Assert.state(!this.pages.isEmpty(), "Name the pages to check with invalidated(...) or kept(...)");
		for (Page page : this.pages) {
			cache(page);
		}
		ResultActions result = this.mvc.perform(action);
		String actionName = PageCacheResultMatchers.describe(result.andReturn().getRequest());
		List<String> failures = new ArrayList<>();
		for (Page page : this.pages) {
			String status = PageCacheResultMatchers.statusOf(this.mvc.perform(page.request()).andReturn());
			String expected = page.invalidated() ? "MISS" : "HIT";
			if (!expected.equals(status)) {
				failures.add(page.name() + " to be " + (page.invalidated() ? "invalidated" : "kept") + ", but it was "
						+ (page.invalidated() ? "still cached" : "invalidated") + " (X-Page-Cache: " + status + ")");
			}
		}
		if (!failures.isEmpty()) {
			throw new AssertionError("After " + actionName + ", expected " + String.join("; expected ", failures));
		}
		return result;
	}

	private void cache(Page page) throws Exception {
		String first = PageCacheResultMatchers.statusOf(this.mvc.perform(page.request()).andReturn());
		if ("HIT".equals(first)) {
			return;
		}
		MvcResult second = this.mvc.perform(page.request()).andReturn();
		String status = PageCacheResultMatchers.statusOf(second);
		if (!"HIT".equals(status)) {
			throw new AssertionError("Expected " + page.name() + " to be cached before the action, but a second "
					+ "request was not served from the cache (X-Page-Cache: " + status + ", HTTP "
					+ second.getResponse().getStatus() + ")");
		}
	}

	private PageInvalidations add(boolean invalidated, String... urls) {
		for (String url : urls) {
			add(invalidated, MockMvcRequestBuilders.get(url), "GET " + url);
		}
		return this;
	}

	private PageInvalidations add(boolean invalidated, RequestBuilder request, String name) {
		Assert.notNull(request, "'page' must not be null");
		this.pages.add(new Page(request, name, invalidated));
		return this;
	}

	private static String describe(RequestBuilder page) {
		return PageCacheResultMatchers.describe(page.buildRequest(new MockServletContext()));
	}

	private record Page(RequestBuilder request, String name, boolean invalidated) {
	}

}
