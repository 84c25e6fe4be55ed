package dev.pagecache.web;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.CachePage;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.test.MutableClock;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A {@link PageCacheFilter} over a {@link RecordingPageStore}, in front of a chain that
 * plays Spring MVC and a controller: {@code /pages/{id}} is a {@code @CachePage} handler
 * (TTL 60 s, served stale for 60 s more), {@code /other} a handler without it. The
 * controller counts its calls and can be held inside a render.
 *
 * @author pagecache
 */
class PageFilterFixture {

	final MutableClock clock = new MutableClock();

	final RecordingPageStore store = new RecordingPageStore(this.clock);

	final Controller controller = new Controller();

	final PageRoutes routes;

	final PageCacheFilter filter;

	/**
	 * The {@code Cache-Control} the interceptor gives responses not rendered for the
	 * store.
	 */
	volatile String unsharedCacheControl = Revalidation.CACHE_CONTROL;

	PageFilterFixture() {
		RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
		mapping.registerMapping(RequestMappingInfo.paths("/pages/{id}").methods(RequestMethod.GET).build(),
				this.controller.pages, Pages.PAGE);
		mapping.registerMapping(RequestMappingInfo.paths("/other").methods(RequestMethod.GET).build(),
				this.controller.pages, Pages.OTHER);
		StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("mapping", mapping));
		this.routes = new PageRoutes(beans.getBeanProvider(RequestMappingInfoHandlerMapping.class),
				beans.getBeanProvider(RequestMappingHandlerAdapter.class), Duration.ofMinutes(1));
		this.routes.afterSingletonsInstantiated();
		CacheabilityRules rules = new CacheabilityRules(List.of(200), 1 << 20, List.of(), List.of(), List.of());
		this.filter = new PageCacheFilter(this.store, this.routes, rules, 2048, Duration.ofSeconds(10), this.clock,
				StatisticsListener.NONE);
	}

	/**
	 * Turn the edge headers on, as {@code pagecache.edge.enabled=true} does.
	 * @param edge the edge headers
	 */
	void edge(EdgeHeaders edge) {
		this.filter.setEdgeHeaders(edge);
		this.unsharedCacheControl = edge.unsharedCacheControl();
	}

	MockHttpServletResponse get(String uri) throws IOException, ServletException {
		return perform(new MockHttpServletRequest("GET", uri));
	}

	MockHttpServletResponse perform(MockHttpServletRequest request) throws IOException, ServletException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, this.controller);
		return response;
	}

	/**
	 * The rest of the chain: the interceptor around a handler that writes its page.
	 */
	final class Controller implements FilterChain {

		final Pages pages = new Pages();

		final AtomicInteger calls = new AtomicInteger();

		volatile String body = "page";

		volatile CountDownLatch entered = new CountDownLatch(0);

		volatile CountDownLatch proceed = new CountDownLatch(0);

		/** Hold the next renders until {@link #release()}. */
		void hold() {
			this.entered = new CountDownLatch(1);
			this.proceed = new CountDownLatch(1);
		}

		void awaitEntered() throws InterruptedException {
			if (!this.entered.await(5, TimeUnit.SECONDS)) {
				throw new IllegalStateException("no render started");
			}
		}

		void release() {
			this.proceed.countDown();
		}

		@Override
		public void doFilter(ServletRequest req, ServletResponse res) throws IOException, ServletException {
			HttpServletRequest request = (HttpServletRequest) req;
			HttpServletResponse response = (HttpServletResponse) res;
			int call = this.calls.incrementAndGet();
			boolean page = request.getRequestURI().startsWith("/pages/") && PageRoutes.isGetOrHead(request.getMethod());
			request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, page ? "/pages/{id}" : "/other");
			HandlerMethod handler = new HandlerMethod(this.pages, page ? Pages.PAGE : Pages.OTHER);
			PageCacheInterceptor interceptor = new PageCacheInterceptor(PageFilterFixture.this.routes,
					PageFilterFixture.this.unsharedCacheControl);
			interceptor.preHandle(request, response, handler);
			this.entered.countDown();
			try {
				if (!this.proceed.await(5, TimeUnit.SECONDS)) {
					throw new ServletException("render held too long");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ServletException(ex);
			}
			response.setContentType("text/html;charset=UTF-8");
			response.getWriter().print(this.body + " " + call);
			interceptor.afterCompletion(request, response, handler, null);
		}

	}

	/**
	 * The handler methods.
	 */
	static class Pages {

		static final Method PAGE = method("page");

		static final Method OTHER = method("other");

		@CachePage(ttl = "60s", staleWhileRevalidate = "60s")
		String page(@PathVariable String id) {
			return id;
		}

		String other() {
			return "other";
		}

		private static Method method(String name) {
			for (Method method : Pages.class.getDeclaredMethods()) {
				if (method.getName().equals(name)) {
					return method;
				}
			}
			throw new IllegalStateException(name);
		}

	}

}
