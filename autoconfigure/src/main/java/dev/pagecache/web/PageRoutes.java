package dev.pagecache.web;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import dev.pagecache.CachePage;
import dev.pagecache.PageTags;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.support.ConfigurableWebBindingInitializer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The table of {@code @CachePage} routes, built once at start-up from the application's
 * handler mappings, so that the filter looks up only requests that a {@code @CachePage}
 * handler can serve. A request that matches a more specific pattern of another handler is
 * not a page request.
 *
 * @author pagecache
 */
final class PageRoutes implements SmartInitializingSingleton {

	private static final Comparator<PathPattern> SPECIFICITY = PathPattern.SPECIFICITY_COMPARATOR;

	private final ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings;

	private final ObjectProvider<RequestMappingHandlerAdapter> handlerAdapters;

	private final Duration defaultTtl;

	private volatile List<PageRoute> routes = List.of();

	private volatile List<Candidate> candidates = List.of();

	private List<String> declaredInterceptorParams = List.of();

	private Set<String> interceptorParams = Set.of();

	/**
	 * Create the table; it is filled when the application context has created its
	 * singletons.
	 * @param handlerMappings the handler mappings to read
	 * @param handlerAdapters the handler adapters, whose conversion service converts the
	 * handlers' arguments
	 * @param defaultTtl the time to live of routes that declare none
	 */
	public PageRoutes(ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings,
			ObjectProvider<RequestMappingHandlerAdapter> handlerAdapters, Duration defaultTtl) {
		this.handlerMappings = handlerMappings;
		this.handlerAdapters = handlerAdapters;
		this.defaultTtl = defaultTtl;
	}

	/**
	 * Declare query parameters that interceptors or filters read and that change the
	 * page: every route keys them, as it keys the parameter of each
	 * {@code LocaleChangeInterceptor} the application registers.
	 * @param params the parameter names
	 */
	void setInterceptorParams(Collection<String> params) {
		this.declaredInterceptorParams = List.copyOf(params);
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.interceptorParams = InterceptorParams.of(this.handlerMappings.orderedStream(),
				this.declaredInterceptorParams);
		List<PageRoute> routes = new ArrayList<>();
		List<PathPattern> others = new ArrayList<>();
		ConversionService conversionService = conversionService();
		this.handlerMappings.orderedStream().forEach((mapping) -> {
			for (Map.Entry<RequestMappingInfo, HandlerMethod> handler : mapping.getHandlerMethods().entrySet()) {
				collect(handler.getKey(), handler.getValue(), conversionService, routes, others);
			}
		});
		checkNoSplitRoutes(routes, others);
		this.routes = List.copyOf(routes);
		this.candidates = Candidate.of(this.routes, others);
	}

	/**
	 * The routes, for diagnostics and the statistics.
	 * @return the routes
	 */
	List<PageRoute> getRoutes() {
		return this.routes;
	}

	/**
	 * The route whose pages a request asks for, if any.
	 * @param request the request
	 * @return the route, or {@code null}
	 */
	@Nullable PageRoute match(HttpServletRequest request) {
		return match(request.getRequestURI(), request.getContextPath());
	}

	/**
	 * The route whose pages a request URI asks for, if any.
	 * @param requestUri the request's path, percent-encoded, context path included
	 * @param contextPath the context path
	 * @return the route, or {@code null}
	 */
	@Nullable PageRoute match(String requestUri, String contextPath) {
		List<Candidate> candidates = this.candidates;
		if (candidates.isEmpty()) {
			return null;
		}
		PathContainer path = RequestPath.parse(requestUri, contextPath).pathWithinApplication();
		// the most specific first: the first match is the best
		for (Candidate candidate : candidates) {
			if (candidate.route().pattern().matches(path)) {
				for (PathPattern other : candidate.moreSpecificOthers()) {
					if (other.matches(path)) {
						return null;
					}
				}
				return candidate.route();
			}
		}
		return null;
	}

	/**
	 * The route of a handler method.
	 * @param method the handler method
	 * @param pattern the pattern the request matched, or {@code null} if unknown
	 * @return the route, or {@code null} if the method has no {@code @CachePage}
	 */
	@Nullable PageRoute forHandler(Method method, @Nullable String pattern) {
		for (PageRoute route : this.routes) {
			if (route.method().equals(method) && (pattern == null || route.name().equals(pattern))) {
				return route;
			}
		}
		return null;
	}

	/**
	 * The conversion service Spring MVC binds handler arguments with; without one, Spring
	 * MVC falls back to property editors, which convert the common types as the default
	 * formatting conversion service does.
	 */
	private ConversionService conversionService() {
		return this.handlerAdapters.orderedStream()
			.map(RequestMappingHandlerAdapter::getWebBindingInitializer)
			.filter(ConfigurableWebBindingInitializer.class::isInstance)
			.map((initializer) -> ((ConfigurableWebBindingInitializer) initializer).getConversionService())
			.filter(Objects::nonNull)
			.findFirst()
			.orElseGet(DefaultFormattingConversionService::new);
	}

	private void collect(RequestMappingInfo info, HandlerMethod handler, ConversionService conversionService,
			List<PageRoute> routes, List<PathPattern> others) {
		Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
		boolean servesGet = methods.isEmpty() || methods.contains(RequestMethod.GET);
		CachePage cachePage = findCachePage(handler);
		if (cachePage != null && info.getPathPatternsCondition() == null) {
			throw new IllegalStateException("@CachePage on " + describe(handler)
					+ " needs Spring MVC's PathPatternParser; AntPathMatcher-based mappings are not supported");
		}
		if (info.getPathPatternsCondition() == null || !servesGet) {
			if (cachePage != null) {
				throw new IllegalStateException("@CachePage on " + describe(handler)
						+ " cannot apply: only handlers of GET requests can be cached");
			}
			return;
		}
		if (cachePage == null) {
			others.addAll(info.getPathPatternsCondition().getPatterns());
			return;
		}
		checkKeyed(info, handler, cachePage);
		for (PathPattern pattern : info.getPathPatternsCondition().getPatterns()) {
			routes.add(route(pattern, handler, cachePage, conversionService));
		}
	}

	private PageRoute route(PathPattern pattern, HandlerMethod handler, CachePage cachePage,
			ConversionService conversionService) {
		Set<String> tags = new LinkedHashSet<>();
		tags.add(PageTags.route(pattern.getPatternString()));
		for (Class<?> type : cachePage.dependsOn()) {
			tags.add(PageTags.type(type));
		}
		Map<String, MethodParameter> boundParams = new TreeMap<>();
		boolean allParams = collectBoundParams(handler, boundParams);
		Set<String> params = new TreeSet<>(List.of(cachePage.varyByParams()));
		params.addAll(boundParams.keySet());
		params.addAll(this.interceptorParams);
		Set<String> headers = new TreeSet<>();
		for (String header : cachePage.varyByHeaders()) {
			headers.add(header.toLowerCase(Locale.ROOT));
		}
		Duration ttl = StringUtils.hasText(cachePage.ttl()) ? duration("ttl", cachePage.ttl(), handler)
				: this.defaultTtl;
		Duration stale = StringUtils.hasText(cachePage.staleWhileRevalidate())
				? duration("staleWhileRevalidate", cachePage.staleWhileRevalidate(), handler) : Duration.ZERO;
		return new PageRoute(pattern, handler.getMethod(), ttl, stale, Set.copyOf(tags), List.copyOf(headers),
				List.copyOf(params), allParams, attributes(cachePage, handler),
				ConvertedArguments.of(pattern, handler, boundParams, conversionService));
	}

	private static Map<String, List<String>> attributes(CachePage cachePage, HandlerMethod handler) {
		Map<String, Set<String>> attributes = new TreeMap<>();
		for (String attribute : cachePage.attributes()) {
			int dot = attribute.indexOf('.');
			if (dot <= 0 || dot == attribute.length() - 1 || attribute.indexOf('.', dot + 1) >= 0
					|| attribute.indexOf('#') >= 0 || attribute.contains("*") || !attribute.strip().equals(attribute)) {
				throw new IllegalStateException("@CachePage(attributes) on " + describe(handler) + ": '" + attribute
						+ "' is not of the form Type.attribute, such as Post.title");
			}
			attributes.computeIfAbsent(attribute.substring(0, dot), (type) -> new TreeSet<>())
				.add(attribute.substring(dot + 1));
		}
		Map<String, List<String>> frozen = new TreeMap<>();
		attributes.forEach((type, names) -> frozen.put(type, List.copyOf(names)));
		return Map.copyOf(frozen);
	}

	private static Duration duration(String attribute, String value, HandlerMethod handler) {
		try {
			Duration duration = DurationStyle.detectAndParse(value);
			if (duration.isNegative() || duration.isZero()) {
				throw new IllegalArgumentException("must be positive");
			}
			return duration;
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw new IllegalStateException("@CachePage(" + attribute + " = \"" + value + "\") on " + describe(handler)
					+ " is not a positive duration such as \"10m\" or \"PT1H\"", ex);
		}
	}

	/**
	 * Add the query parameters the handler binds one by one, by name.
	 * @return whether the handler binds parameters by data binding, so every parameter
	 * must be keyed
	 */
	private static boolean collectBoundParams(HandlerMethod handler, Map<String, MethodParameter> params) {
		boolean all = false;
		for (MethodParameter parameter : handler.getMethodParameters()) {
			parameter.initParameterNameDiscovery(new org.springframework.core.DefaultParameterNameDiscoverer());
			Class<?> type = parameter.getParameterType();
			RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
			if (requestParam != null) {
				String name = StringUtils.hasText(requestParam.name()) ? requestParam.name()
						: parameter.getParameterName();
				if (Map.class.isAssignableFrom(type) || name == null) {
					all = true;
				}
				else {
					params.put(name, parameter);
				}
			}
			else if (parameter.hasParameterAnnotation(ModelAttribute.class)) {
				all = true;
			}
			else if (parameter.getParameterAnnotations().length == 0) {
				if (BeanUtils.isSimpleProperty(type) && parameter.getParameterName() != null) {
					params.put(parameter.getParameterName(), parameter);
				}
				else if (!isResolvedFromTheRequestItself(type)) {
					all = true;
				}
			}
		}
		return all;
	}

	private static boolean isResolvedFromTheRequestItself(Class<?> type) {
		String name = type.getName();
		return name.startsWith("jakarta.servlet.") || name.startsWith("org.springframework.ui.")
				|| name.startsWith("org.springframework.web.") || name.startsWith("org.springframework.validation.")
				|| name.startsWith("org.springframework.http.") || Map.class.isAssignableFrom(type)
				|| java.security.Principal.class.isAssignableFrom(type) || type == Locale.class
				|| type == java.util.TimeZone.class || type == java.time.ZoneId.class || type == java.io.Writer.class
				|| type == java.io.OutputStream.class;
	}

	private static void checkKeyed(RequestMappingInfo info, HandlerMethod handler, CachePage cachePage) {
		if (!info.getParamsCondition().isEmpty() || !info.getHeadersCondition().isEmpty()
				|| info.getVersionCondition().getVersion() != null) {
			throw new IllegalStateException("@CachePage on " + describe(handler)
					+ " is selected by request parameters, headers or an API version (" + info
					+ "); pagecache cannot key such a route safely, move the condition into the handler");
		}
		boolean acceptKeyed = List.of(cachePage.varyByHeaders())
			.stream()
			.anyMatch((header) -> header.equalsIgnoreCase("Accept"));
		if (!info.getProducesCondition().isEmpty() && !acceptKeyed) {
			throw new IllegalStateException("@CachePage on " + describe(handler)
					+ " is selected by the Accept header (produces); add varyByHeaders = \"Accept\"");
		}
	}

	private static void checkNoSplitRoutes(List<PageRoute> routes, List<PathPattern> others) {
		for (PageRoute route : routes) {
			for (PathPattern other : others) {
				if (other.equals(route.pattern())) {
					throw new IllegalStateException("@CachePage route " + route.name() + " of "
							+ route.method().toGenericString() + " shares its URL pattern with another GET handler "
							+ "chosen by produces, params or headers; pagecache cannot tell them apart");
				}
			}
		}
	}

	private static @Nullable CachePage findCachePage(HandlerMethod handler) {
		CachePage onMethod = AnnotatedElementUtils.findMergedAnnotation(handler.getMethod(), CachePage.class);
		return (onMethod != null) ? onMethod
				: AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), CachePage.class);
	}

	private static String describe(HandlerMethod handler) {
		return handler.getBeanType().getName() + "." + handler.getMethod().getName();
	}

	static boolean isGetOrHead(String method) {
		return HttpMethod.GET.matches(method) || HttpMethod.HEAD.matches(method);
	}

	/**
	 * A route, with the patterns of other handlers that would take its requests when they
	 * match: both compared once, at start-up, not for each request.
	 */
	private record Candidate(PageRoute route, List<PathPattern> moreSpecificOthers) {

		/** The routes, the most specific first (in their order when equally specific). */
		static List<Candidate> of(List<PageRoute> routes, List<PathPattern> others) {
			List<PageRoute> sorted = new ArrayList<>(routes);
			sorted.sort((one, two) -> SPECIFICITY.compare(one.pattern(), two.pattern()));
			List<Candidate> candidates = new ArrayList<>();
			for (PageRoute route : sorted) {
				candidates.add(new Candidate(route,
						others.stream().filter((other) -> SPECIFICITY.compare(other, route.pattern()) < 0).toList()));
			}
			return List.copyOf(candidates);
		}

	}

}
