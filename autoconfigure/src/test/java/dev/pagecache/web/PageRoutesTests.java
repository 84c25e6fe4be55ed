package dev.pagecache.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pagecache.CachePage;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageRoutes#match}: the most specific pattern that matches a request
 * decides, whichever order the handlers are registered in, and a request that a more
 * specific handler without {@code @CachePage} would serve is not a page request.
 *
 * @author pagecache
 */
class PageRoutesTests {

	private static final List<String> HANDLERS = List.of("docs:/docs/{name}", "index:/docs/index",
			"drafts:/docs/drafts", "tree:/docs/**", "edit:/docs/{name}/edit", "file:/files/{id}.pdf");

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "/docs/intro, /docs/{name}", "/docs/index, /docs/index", "/docs/a/b, /docs/**",
			"/docs/intro/more/deep, /docs/**", "/docs/drafts, none", "/docs/intro/edit, none",
			"/files/report.pdf, none", "/elsewhere, none" })
	void theMostSpecificPatternDecidesInEveryRegistrationOrder(String uri, String expected) {
		List<String> reversed = new ArrayList<>(HANDLERS);
		Collections.reverse(reversed);
		for (List<String> order : List.of(HANDLERS, reversed)) {
			PageRoute route = routes(order).match(new MockHttpServletRequest("GET", uri));
			assertThat((route != null) ? route.pattern().getPatternString() : "none").as("%s, handlers %s", uri, order)
				.isEqualTo(expected);
		}
	}

	@Test
	void aContextPathIsNotPartOfThePattern() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/blog/docs/index");
		request.setContextPath("/blog");
		PageRoute route = routes(HANDLERS).match(request);
		assertThat(route).isNotNull();
		assertThat(route.pattern().getPatternString()).isEqualTo("/docs/index");
	}

	private static PageRoutes routes(List<String> handlers) {
		RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
		Pages pages = new Pages();
		for (String handler : handlers) {
			String name = handler.substring(0, handler.indexOf(':'));
			String path = handler.substring(handler.indexOf(':') + 1);
			mapping.registerMapping(RequestMappingInfo.paths(path).methods(RequestMethod.GET).build(), pages,
					methodNamed(name));
		}
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("mapping", mapping);
		PageRoutes routes = new PageRoutes(beans.getBeanProvider(RequestMappingInfoHandlerMapping.class),
				beans.getBeanProvider(RequestMappingHandlerAdapter.class), Duration.ofMinutes(1));
		routes.afterSingletonsInstantiated();
		return routes;
	}

	private static Method methodNamed(String name) {
		for (Method method : Pages.class.getDeclaredMethods()) {
			if (method.getName().equals(name)) {
				return method;
			}
		}
		throw new IllegalArgumentException(name);
	}

	static class Pages {

		@CachePage
		String docs(@PathVariable String name) {
			return "doc";
		}

		@CachePage
		String index() {
			return "index";
		}

		String drafts() {
			return "drafts";
		}

		@CachePage
		String tree() {
			return "tree";
		}

		String edit(@PathVariable String name) {
			return "edit";
		}

		String file(@PathVariable String id) {
			return "file";
		}

	}

}
