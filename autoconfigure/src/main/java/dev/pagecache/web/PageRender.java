package dev.pagecache.web;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * A page being rendered on a miss: the request for it and the tags it collects while it
 * renders. Bound to the rendering thread and to the request.
 *
 * @author pagecache
 */
final class PageRender {

	static final String ATTRIBUTE = PageRender.class.getName();

	private static final ThreadLocal<PageRender> current = new ThreadLocal<>();

	private final PageRequest page;

	private final CachingResponseWrapper response;

	private final long startNanos = System.nanoTime();

	private final Set<String> tags = new LinkedHashSet<>();

	private volatile boolean confirmed;

	PageRender(PageRequest page, CachingResponseWrapper response) {
		this.page = page;
		this.response = response;
		this.tags.addAll(page.route().staticTags());
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
	 * @throws IOException never in practice: capture starts with nothing to write
	 */
	void confirm() throws IOException {
		this.confirmed = true;
		this.response.startCapturing();
	}

	boolean isConfirmed() {
		return this.confirmed;
	}

	synchronized void addTags(Iterable<String> tags) {
		for (String tag : tags) {
			this.page.route().addTag(this.tags, tag);
		}
	}

	synchronized Set<String> tags() {
		return new LinkedHashSet<>(this.tags);
	}

	PageRoute route() {
		return this.page.route();
	}

	long elapsedNanos() {
		return System.nanoTime() - this.startNanos;
	}

}
