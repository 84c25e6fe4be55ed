package dev.pagecache.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The path variables and keyed query parameters of a route that Spring MVC converts to
 * another type than {@code String} before the handler sees them, so that many raw values
 * render the same page: {@code /posts/01}, {@code /posts/+1} and {@code /posts/1%20} are
 * all post 1. Only the canonical raw value of each converted value may use the cache;
 * every other one bypasses it, so that a client cannot fill a route with copies of one
 * page (DESIGN section 10, memory under attack).
 * <p>
 * A raw value is canonical when it is the {@code String} the application's
 * {@link ConversionService} prints for its converted value, or that value's own
 * {@code toString()} (the ISO form of a date that the application prints in a localized
 * style). A value that does not convert bypasses: the application answers it with an
 * error of its own. A type whose printed form does not convert back to the same value
 * (one with a converter from {@code String} but none back, printed by {@code toString()})
 * cannot be checked: its values are keyed as they come, and a warning says so once.
 * <p>
 * Found once, at start-up, from the handler's parameters; a route without such arguments
 * has none, and its requests pay nothing.
 *
 * @author pagecache
 */
final class ConvertedArguments {

	private static final Log logger = LogFactory.getLog(ConvertedArguments.class);

	private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);

	private final PathPattern pattern;

	private final ConversionService conversionService;

	private final List<Argument> pathVariables;

	private final List<Argument> queryParameters;

	private ConvertedArguments(PathPattern pattern, ConversionService conversionService, List<Argument> pathVariables,
			List<Argument> queryParameters) {
		this.pattern = pattern;
		this.conversionService = conversionService;
		this.pathVariables = pathVariables;
		this.queryParameters = queryParameters;
	}

	/**
	 * The converted arguments of a route, if it has any.
	 * @param pattern the route's URL pattern
	 * @param handler its handler method
	 * @param keyedParams the names of the query parameters the handler binds one by one,
	 * with their parameter
	 * @param conversionService the service Spring MVC converts the handler's arguments
	 * with
	 * @return the arguments, or {@code null} when the route converts none
	 */
	static @Nullable ConvertedArguments of(PathPattern pattern, HandlerMethod handler,
			Map<String, MethodParameter> keyedParams, ConversionService conversionService) {
		List<Argument> pathVariables = new ArrayList<>();
		for (MethodParameter parameter : handler.getMethodParameters()) {
			parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
			PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
			String name = (pathVariable != null) ? variableName(pathVariable, parameter) : null;
			if (name != null && declares(pattern, name)) {
				add(pathVariables, name, parameter, conversionService);
			}
		}
		List<Argument> queryParameters = new ArrayList<>();
		keyedParams.forEach((name, parameter) -> add(queryParameters, name, parameter, conversionService));
		if (pathVariables.isEmpty() && queryParameters.isEmpty()) {
			return null;
		}
		return new ConvertedArguments(pattern, conversionService, List.copyOf(pathVariables),
				List.copyOf(queryParameters));
	}

	/**
	 * Why a request of the route must bypass the cache because one of its arguments is
	 * not canonical, or {@code null} when they all are.
	 * @param request a request the route matched
	 * @return the reason, or {@code null}
	 */
	@Nullable String nonCanonicalReason(HttpServletRequest request) {
		if (!this.pathVariables.isEmpty() && !arePathVariablesCanonical(request)) {
			return "path variable not canonical";
		}
		if (!this.queryParameters.isEmpty() && request.getQueryString() != null
				&& !areQueryParametersCanonical(request)) {
			return "query parameter not canonical";
		}
		return null;
	}

	/**
	 * The names of the checked path variables, for tests and diagnostics.
	 * @return the names
	 */
	List<String> pathVariableNames() {
		return this.pathVariables.stream().map(Argument::name).toList();
	}

	/**
	 * The names of the checked query parameters, for tests and diagnostics.
	 * @return the names
	 */
	List<String> queryParameterNames() {
		return this.queryParameters.stream().map(Argument::name).toList();
	}

	private boolean arePathVariablesCanonical(HttpServletRequest request) {
		PathContainer path = RequestPath.parse(request.getRequestURI(), request.getContextPath())
			.pathWithinApplication();
		PathPattern.PathMatchInfo match = this.pattern.matchAndExtract(path);
		if (match == null) {
			return false;
		}
		Map<String, String> values = match.getUriVariables();
		for (Argument variable : this.pathVariables) {
			String raw = values.get(variable.name());
			if (raw != null && !isCanonical(variable, raw)) {
				return false;
			}
		}
		return true;
	}

	private boolean areQueryParametersCanonical(HttpServletRequest request) {
		for (Argument parameter : this.queryParameters) {
			String[] raw = request.getParameterValues(parameter.name());
			// a single value is bound; any further one would only change the key
			if (raw != null && (raw.length > 1 || !isCanonical(parameter, raw[0]))) {
				return false;
			}
		}
		return true;
	}

	private boolean isCanonical(Argument argument, String raw) {
		Object value = convert(raw, STRING, argument.type());
		if (value == null) {
			return false;
		}
		if (raw.equals(value.toString())) {
			return true;
		}
		Object printed = convert(value, argument.type(), STRING);
		if (raw.equals(printed)) {
			return true;
		}
		if (printed != null && value.equals(convert(printed, STRING, argument.type()))) {
			return false;
		}
		argument.warnUncheckable(this.pattern, printed);
		return true;
	}

	private @Nullable Object convert(Object value, TypeDescriptor from, TypeDescriptor to) {
		try {
			return this.conversionService.convert(value, from, to);
		}
		catch (ConversionException | IllegalArgumentException ex) {
			return null;
		}
	}

	private static void add(Collection<Argument> arguments, String name, MethodParameter parameter,
			ConversionService conversionService) {
		TypeDescriptor type = new TypeDescriptor(parameter.nestedIfOptional());
		Class<?> target = type.getObjectType();
		boolean scalar = !type.isArray() && !type.isCollection() && !type.isMap();
		if (scalar && !target.isAssignableFrom(String.class) && conversionService.canConvert(STRING, type)) {
			arguments.add(new Argument(name, type));
		}
	}

	private static @Nullable String variableName(PathVariable pathVariable, MethodParameter parameter) {
		if (Map.class.isAssignableFrom(parameter.getParameterType())) {
			return null;
		}
		return pathVariable.name().isEmpty() ? parameter.getParameterName() : pathVariable.name();
	}

	private static boolean declares(PathPattern pattern, String variable) {
		String patternString = pattern.getPatternString();
		return patternString.contains("{" + variable + "}") || patternString.contains("{" + variable + ":")
				|| patternString.contains("{*" + variable + "}");
	}

	/**
	 * A converted argument: its name in the request and the type it is converted to.
	 */
	private static final class Argument {

		private final String name;

		private final TypeDescriptor type;

		private final AtomicBoolean warned = new AtomicBoolean();

		Argument(String name, TypeDescriptor type) {
			this.name = name;
			this.type = type;
		}

		String name() {
			return this.name;
		}

		TypeDescriptor type() {
			return this.type;
		}

		void warnUncheckable(PathPattern pattern, @Nullable Object printed) {
			if (this.warned.compareAndSet(false, true)) {
				String type = this.type.getName();
				String printing = (printed != null)
						? "prints a " + type + " as '" + printed + "', which does not convert back to the same value"
						: "cannot print a " + type;
				logger.warn("pagecache cannot tell the canonical values of '" + this.name + "' on "
						+ pattern.getPatternString() + ": the application's conversion service " + printing
						+ ". Its raw values are keyed as they come, so variants of one value (leading zeros, "
						+ "spaces) are pages of their own; register a Printer or a Converter from " + type
						+ " to String that the conversion from String reverses");
			}
		}

	}

}
