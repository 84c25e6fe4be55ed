package dev.pagecache.mvc;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.AbstractLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;
import org.springframework.web.servlet.i18n.SessionLocaleResolver;

/**
 * An application written the way the well-known Spring sample with owners and vets is:
 * Thymeleaf views with messages in English and German, a {@code LocaleChangeInterceptor}
 * on {@code ?lang=} registered through a {@link WebMvcConfigurer} (not a bean), a session
 * locale resolver (or, with {@code mvc-test.locale-resolver=request}, one that keeps the
 * locale in the request only), an interceptor of its own on {@code ?theme=}, search pages
 * that bind form objects, a {@code ModelAndView} handler, and a form whose post redirects
 * with a flash message.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class MvcPatternsApplication implements WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		LocaleChangeInterceptor localeChange = new LocaleChangeInterceptor();
		localeChange.setParamName("lang");
		registry.addInterceptor(localeChange);
		registry.addInterceptor(new ThemeInterceptor());
	}

	/**
	 * An interceptor of the application's own that reads a query parameter no handler
	 * binds: the page shows the theme {@code ?theme=} names.
	 */
	static final class ThemeInterceptor implements HandlerInterceptor {

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
			request.setAttribute("theme", request.getParameter("theme"));
			return true;
		}

	}

	@Bean
	LocaleResolver localeResolver(Environment environment) {
		if ("request".equals(environment.getProperty("mvc-test.locale-resolver"))) {
			return new RequestLocaleResolver();
		}
		SessionLocaleResolver resolver = new SessionLocaleResolver();
		resolver.setDefaultLocale(Locale.ENGLISH);
		return resolver;
	}

	/**
	 * Keeps a changed locale for the one request: the page of {@code ?lang=de} is German
	 * and creates no session, so it can be stored.
	 */
	static final class RequestLocaleResolver extends AbstractLocaleResolver {

		private static final String ATTRIBUTE = RequestLocaleResolver.class.getName() + ".LOCALE";

		RequestLocaleResolver() {
			setDefaultLocale(Locale.ENGLISH);
		}

		@Override
		public Locale resolveLocale(HttpServletRequest request) {
			Object locale = request.getAttribute(ATTRIBUTE);
			return (locale instanceof Locale changed) ? changed : getDefaultLocale();
		}

		@Override
		public void setLocale(HttpServletRequest request, @Nullable HttpServletResponse response,
				@Nullable Locale locale) {
			request.setAttribute(ATTRIBUTE, locale);
		}

	}

}
