package dev.pagecache.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.WebUtils;

/**
 * Confirms, once Spring MVC has chosen the handler, that a request the filter treats as a
 * miss is really served by the route's {@code @CachePage} handler; only then is the body
 * captured. Sets the browser-facing {@code Cache-Control} (revalidate with the ETag),
 * which also keeps Spring Security's default {@code no-store} off cached pages, and
 * {@code X-Page-Cache} on every response of a {@code @CachePage} handler.
 *
 * @author pagecache
 */
final class PageCacheInterceptor implements HandlerInterceptor {

	private final PageRoutes routes;

	private final String unsharedCacheControl;

	/**
	 * Create an interceptor.
	 * @param routes the {@code @CachePage} routes
	 */
	public PageCacheInterceptor(PageRoutes routes) {
		this(routes, Revalidation.CACHE_CONTROL);
	}

	/**
	 * Create an interceptor.
	 * @param routes the {@code @CachePage} routes
	 * @param unsharedCacheControl the {@code Cache-Control} of the responses of
	 * {@code @CachePage} handlers that are not rendered for the store
	 */
	PageCacheInterceptor(PageRoutes routes, String unsharedCacheControl) {
		this.routes = routes;
		this.unsharedCacheControl = unsharedCacheControl;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (!(handler instanceof HandlerMethod handlerMethod)) {
			return true;
		}
		PageRender render = PageRender.of(request);
		String pattern = String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
		if (render != null && render.route().method().equals(handlerMethod.getMethod())
				&& render.route().name().equals(pattern)) {
			render.confirm();
			CacheStatus.MISS.setOn(response);
			response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
			Revalidation.setCacheControl(response);
		}
		else if (this.routes.forHandler(handlerMethod.getMethod(), null) != null) {
			if (!response.containsHeader(CacheStatus.HEADER)) {
				CacheStatus.BYPASS.setOn(response);
			}
			Revalidation.setCacheControl(response, this.unsharedCacheControl);
		}
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) {
		KeyedRequest keyed = WebUtils.getNativeRequest(request, KeyedRequest.class);
		if (keyed != null) {
			keyed.rendered();
		}
	}

}
