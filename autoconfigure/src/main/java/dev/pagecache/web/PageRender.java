package dev.pagecache.web;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageLookup;

/**
 * A page being rendered on a miss: its route, key, the store lookup that guards its
 * store, and the tags it collects while it renders. Bound to the rendering thread and to
 * the request.
 *
 * @author pagecache
 */
final class PageRender {

	static final String ATTRIBUTE = PageRender.class.getName();

	private static final ThreadLocal<PageRender> current = new ThreadLocal<>();

	private final PageRoute route;

	private final String key;

	private final String path;

	private final PageLookup lookup;

	private final CachingResponseWrapper response;

	private final long startNanos = System.nanoTime();

	private final Set<String> tags = new LinkedHashSet<>();

	private volatile boolean confirmed;

	PageRender(PageRoute route, String key, String path, PageLookup lookup, CachingResponseWrapper response) {
		this.route = route;
		this.key = key;
		this.path = path;
		this.lookup = lookup;
		this.response = response;
		this.tags.addAll(route.staticTags());
	}

	static @Nullable PageRender current() {
		return current.get();
	}

	static @Nullable PageRender of(HttpServletRequest request) {
		return (PageRender) request.getAttribute(ATTRIBUTE);
	}

	void bind(HttpServletRequest request) {
		request.setAttribute(ATTRIBUTE, this);
		current.set(this);
	}

	void unbind(HttpServletRequest request) {
		current.remove();
		request.removeAttribute(ATTRIBUTE);
	}

	/**
	 * Called once the handler that will render the page is known to be the route's: from
	 * now on the body is captured.
	 */
	void confirm() {
		this.confirmed = true;
		this.response.startBuffering();
	}

	boolean isConfirmed() {
		return this.confirmed;
	}

	synchronized void addTags(Iterable<String> tags) {
		for (String tag : tags) {
			this.route.addTag(this.tags, tag);
		}
	}

	synchronized Set<String> tags() {
		return new LinkedHashSet<>(this.tags);
	}

	PageRoute route() {
		return this.route;
	}

	String key() {
		return this.key;
	}

	String path() {
		return this.path;
	}

	PageLookup lookup() {
		return this.lookup;
	}

	long elapsedNanos() {
		return System.nanoTime() - this.startNanos;
	}

}
