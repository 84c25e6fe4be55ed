package dev.pagecache.actuate;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.filter.GenericFilterBean;

/**
 * Spring Security's own filters, as an application's security chain runs them, at Spring
 * Security's default order, without Spring Security's configuration module: HTTP Basic
 * for {@value #USERNAME} (a wrong password is a 401), an anonymous authentication for
 * everyone else, and the request wrapper through which the actuator reads the principal.
 * So the endpoint's readers are told apart as they are in an application with Spring
 * Security.
 */
@Configuration(proxyBeanMethods = false)
class BasicAuthenticationConfiguration {

	static final String USERNAME = "operator";

	static final String PASSWORD = "secret";

	/**
	 * The {@code Authorization} header of a request.
	 * @param username the user name
	 * @param password the password
	 * @return the header's value
	 */
	static String authorization(String username, String password) {
		return "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The {@code Authorization} header of a request of {@value #USERNAME}.
	 * @return the header's value
	 */
	static String authorization() {
		return authorization(USERNAME, PASSWORD);
	}

	@Bean
	FilterRegistrationBean<FilterChainProxy> securityFilterChain() throws Exception {
		BasicAuthenticationEntryPoint refusal = new BasicAuthenticationEntryPoint();
		refusal.setRealmName("pagecache");
		refusal.afterPropertiesSet();
		BasicAuthenticationFilter basic = new BasicAuthenticationFilter((authentication) -> {
			if (USERNAME.equals(authentication.getName()) && PASSWORD.equals(authentication.getCredentials())) {
				return UsernamePasswordAuthenticationToken.authenticated(USERNAME, null,
						AuthorityUtils.createAuthorityList("ROLE_OPERATOR"));
			}
			throw new BadCredentialsException("Wrong user name or password");
		}, refusal);
		AnonymousAuthenticationFilter anonymous = new AnonymousAuthenticationFilter("anonymous-key");
		SecurityContextHolderAwareRequestFilter servletApi = new SecurityContextHolderAwareRequestFilter();
		for (GenericFilterBean filter : List.of(basic, anonymous, servletApi)) {
			filter.afterPropertiesSet();
		}
		FilterChainProxy chain = new FilterChainProxy(
				new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE, basic, anonymous, servletApi));
		chain.afterPropertiesSet();
		FilterRegistrationBean<FilterChainProxy> registration = new FilterRegistrationBean<>(chain);
		registration.setOrder(-100);
		return registration;
	}

}
