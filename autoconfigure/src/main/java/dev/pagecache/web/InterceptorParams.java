package dev.pagecache.web;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The query parameters that interceptors read before the handler runs, and that change
 * the page without being a handler argument: the parameter of each
 * {@link LocaleChangeInterceptor} the application registers ({@code ?lang=de} renders
 * German), and those the application declares in {@code pagecache.interceptor-params}.
 * Every route keys them, so the handler's render sees them and a page rendered for one
 * value is never served for another.
 *
 * @author pagecache
 */
final class InterceptorParams {

	private static final Log logger = LogFactory.getLog(InterceptorParams.class);

	/**
	 * {@link AbstractHandlerMapping#getAdaptedInterceptors()}: protected, and the only
	 * place that holds the interceptors registered through {@code WebMvcConfigurer} and
	 * as {@code MappedInterceptor} beans.
	 */
	private static final @Nullable Method ADAPTED_INTERCEPTORS = ReflectionUtils
		.findMethod(AbstractHandlerMapping.class, "getAdaptedInterceptors");

	private InterceptorParams() {
	}

	/**
	 * The parameters to key on every route.
	 * @param mappings the application's handler mappings
	 * @param declared the parameters the application declares
	 * @return the parameter names, sorted
	 */
	static Set<String> of(Stream<? extends HandlerMapping> mappings, Collection<String> declared) {
		Set<String> params = new TreeSet<>(declared);
		mappings.forEach((mapping) -> {
			for (HandlerInterceptor interceptor : interceptors(mapping)) {
				HandlerInterceptor target = (interceptor instanceof MappedInterceptor mapped) ? mapped.getInterceptor()
						: interceptor;
				if (target instanceof LocaleChangeInterceptor localeChange) {
					params.add(localeChange.getParamName());
				}
			}
		});
		return params;
	}

	private static HandlerInterceptor[] interceptors(HandlerMapping mapping) {
		if (!(mapping instanceof AbstractHandlerMapping) || ADAPTED_INTERCEPTORS == null) {
			return new HandlerInterceptor[0];
		}
		try {
			ReflectionUtils.makeAccessible(ADAPTED_INTERCEPTORS);
			Object interceptors = ReflectionUtils.invokeMethod(ADAPTED_INTERCEPTORS, mapping);
			return (interceptors instanceof HandlerInterceptor[] array) ? array : new HandlerInterceptor[0];
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot read the interceptors of " + mapping + ": the parameter of a LocaleChangeInterceptor "
					+ "must be declared in pagecache.interceptor-params", ex);
			return new HandlerInterceptor[0];
		}
	}

}
