package dev.pagecache.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.CachePage;
import dev.pagecache.test.ExpectedLogs;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.format.Formatter;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.support.ConfigurableWebBindingInitializer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConvertedArguments}: which raw path variables and query parameters of
 * a route are canonical for the conversion service of the application's handler adapter,
 * so that only they use the cache (DESIGN section 10, memory under attack).
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.web.ConvertedArguments",
		because = "a type the conversion service cannot print is warned about")
class ConvertedArgumentsTests {

	private final PageRoutes routes = routes(conversionService());

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/posts/01", "/posts/007", "/posts/+7", "/posts/%2B7", "/posts/7%20", "/posts/%207",
			"/posts/7%09", "/posts/0x7", "/posts/%237", "/posts/7.0", "/posts/seven", "/posts/99999999999999999999" })
	void variantOfANumberBypasses(String uri) {
		assertThat(reason(uri)).isEqualTo("path variable not canonical");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/posts/7", "/posts/0", "/posts/-7", "/posts/9223372036854775807", "/posts/%37" })
	void canonicalNumberUsesTheCache(String uri) {
		assertThat(reason(uri)).isNull();
	}

	@Test
	void stringPathVariablesAreAlwaysCanonicalAndCostNothing() {
		assertThat(route("/tags/007").convertedArguments()).isNull();
		assertThat(reason("/tags/007")).isNull();
		assertThat(reason("/tags/%207")).isNull();
	}

	@Test
	void pathVariableNamedOnTheAnnotationIsChecked() {
		assertThat(route("/named/7").convertedArguments().pathVariableNames()).containsExactly("postId");
		assertThat(reason("/named/7")).isNull();
		assertThat(reason("/named/07")).isEqualTo("path variable not canonical");
	}

	@Test
	void optionalPathVariableIsCheckedAsItsValue() {
		assertThat(reason("/optional/7")).isNull();
		assertThat(reason("/optional/07")).isEqualTo("path variable not canonical");
	}

	@Test
	void enumMustBeItsName() {
		assertThat(reason("/colours/RED")).isNull();
		assertThat(reason("/colours/%20RED")).isEqualTo("path variable not canonical");
		assertThat(reason("/colours/red")).isEqualTo("path variable not canonical");
	}

	@Test
	void uuidMustBeInItsLowerCaseForm() {
		UUID id = UUID.fromString("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
		assertThat(reason("/files/" + id)).isNull();
		assertThat(reason("/files/" + id.toString().toUpperCase())).isEqualTo("path variable not canonical");
	}

	@Test
	void dateInItsIsoFormUsesTheCacheThoughTheApplicationPrintsItLocalized() {
		// the default formatting conversion service prints a LocalDate in the short
		// localized style (1/2/25): a form no path can hold, so the ISO form counts too
		assertThat(reason("/days/2025-01-02")).isNull();
		assertThat(reason("/days/2025-01-02%20")).isEqualTo("path variable not canonical");
	}

	@Test
	void conversionServiceOfTheHandlerAdapterDecidesTheCanonicalForm() {
		assertThat(reason("/codes/C-7")).isNull();
		assertThat(reason("/codes/7")).isEqualTo("path variable not canonical");
	}

	@Test
	void valueWhosePrintedFormDoesNotConvertBackIsKeyedAsItComes() {
		// a converter from String, none back
		assertThat(reason("/slugs/7")).isNull();
		assertThat(reason("/slugs/07")).isNull();
	}

	@Test
	void variantOfAnIntegerQueryParameterBypasses() {
		assertThat(route("/posts/7").convertedArguments().queryParameterNames()).containsExactly("page");
		assertThat(reason("/posts/7", "page", "2")).isNull();
		assertThat(reason("/posts/7", "utm_source", "01")).isNull();
		assertThat(reason("/posts/7", "page", "02")).isEqualTo("query parameter not canonical");
		assertThat(reason("/posts/7", "page", "+2")).isEqualTo("query parameter not canonical");
		assertThat(reason("/posts/7", "page", "")).isEqualTo("query parameter not canonical");
		assertThat(reason("/posts/7", "page", "two")).isEqualTo("query parameter not canonical");
		assertThat(reason("/posts/7", "page", "2", "page", "3")).isEqualTo("query parameter not canonical");
	}

	@Test
	void unannotatedSimpleParameterIsCheckedToo() {
		assertThat(reason("/lists/java", "size", "10")).isNull();
		assertThat(reason("/lists/java", "size", "010")).isEqualTo("query parameter not canonical");
	}

	@Test
	void withoutAConversionServiceOfItsOwnTheDefaultFormattingOneIsUsed() {
		PageRoutes routes = routes(null);
		assertThat(reason(routes, "/posts/7")).isNull();
		assertThat(reason(routes, "/posts/07")).isEqualTo("path variable not canonical");
	}

	private String reason(String uri, String... params) {
		return reason(this.routes, uri, params);
	}

	private static String reason(PageRoutes routes, String uri, String... params) {
		MockHttpServletRequest request = request(uri, params);
		PageRoute route = routes.match(request);
		assertThat(route).as("route of %s", uri).isNotNull();
		return route.nonCanonicalArgument(request);
	}

	private PageRoute route(String uri) {
		return this.routes.match(request(uri));
	}

	private static MockHttpServletRequest request(String uri, String... params) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		StringBuilder query = new StringBuilder();
		for (int i = 0; i < params.length; i += 2) {
			request.addParameter(params[i], params[i + 1]);
			query.append((i == 0) ? "" : "&").append(params[i]).append('=').append(params[i + 1]);
		}
		if (params.length > 0) {
			request.setQueryString(query.toString());
		}
		return request;
	}

	private static DefaultFormattingConversionService conversionService() {
		DefaultFormattingConversionService conversionService = new DefaultFormattingConversionService();
		conversionService.addFormatter(new CodeFormatter());
		conversionService.addConverter(String.class, Slug.class, Slug::new);
		return conversionService;
	}

	private static PageRoutes routes(DefaultFormattingConversionService conversionService) {
		RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
		Pages pages = new Pages();
		for (Method method : Pages.class.getDeclaredMethods()) {
			Mapped mapped = method.getAnnotation(Mapped.class);
			if (mapped != null) {
				mapping.registerMapping(RequestMappingInfo.paths(mapped.value()).methods(RequestMethod.GET).build(),
						pages, method);
			}
		}
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("mapping", mapping);
		if (conversionService != null) {
			ConfigurableWebBindingInitializer initializer = new ConfigurableWebBindingInitializer();
			initializer.setConversionService(conversionService);
			RequestMappingHandlerAdapter adapter = new RequestMappingHandlerAdapter();
			adapter.setWebBindingInitializer(initializer);
			beans.addBean("adapter", adapter);
		}
		PageRoutes routes = new PageRoutes(beans.getBeanProvider(RequestMappingInfoHandlerMapping.class),
				beans.getBeanProvider(RequestMappingHandlerAdapter.class), Duration.ofMinutes(1));
		routes.afterSingletonsInstantiated();
		return routes;
	}

	enum Colour {

		RED, GREEN

	}

	/** A code printed and parsed as {@code C-<number>} by the application's formatter. */
	record Code(int number) {

	}

	/**
	 * A value the application converts from a String, with no way back but toString().
	 */
	record Slug(String value) {

	}

	static final class CodeFormatter implements Formatter<Code> {

		@Override
		public String print(Code code, Locale locale) {
			return "C-" + code.number();
		}

		@Override
		public Code parse(String text, Locale locale) {
			if (!text.startsWith("C-")) {
				throw new IllegalArgumentException(text);
			}
			return new Code(Integer.parseInt(text.substring(2)));
		}

	}

	/** The path a handler of {@link Pages} is mapped to. */
	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@interface Mapped {

		String value();

	}

	static class Pages {

		@CachePage
		@Mapped("/posts/{id}")
		String post(@PathVariable long id, @RequestParam(defaultValue = "1") int page) {
			return "post";
		}

		@CachePage
		@Mapped("/tags/{tag}")
		String tag(@PathVariable String tag) {
			return "tag";
		}

		@CachePage
		@Mapped("/lists/{name}")
		String list(@PathVariable String name, Integer size) {
			return "list";
		}

		@CachePage
		@Mapped("/named/{postId}")
		String named(@PathVariable("postId") Long id) {
			return "named";
		}

		@CachePage
		@Mapped("/optional/{id}")
		String optional(@PathVariable Optional<Long> id) {
			return "optional";
		}

		@CachePage
		@Mapped("/colours/{colour}")
		String colour(@PathVariable Colour colour) {
			return "colour";
		}

		@CachePage
		@Mapped("/files/{id}")
		String file(@PathVariable UUID id) {
			return "file";
		}

		@CachePage
		@Mapped("/days/{day}")
		String day(@PathVariable LocalDate day) {
			return "day";
		}

		@CachePage
		@Mapped("/codes/{code}")
		String code(@PathVariable Code code) {
			return "code";
		}

		@CachePage
		@Mapped("/slugs/{slug}")
		String slug(@PathVariable Slug slug) {
			return "slug";
		}

	}

}
