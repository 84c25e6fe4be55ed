package dev.pagecache.sample;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Public pages for everyone, the admin area for the one administrator, and no HTTP
 * session for anonymous readers: a page that created one could not be cached.
 * <ul>
 * <li>The session-backed CSRF token is created lazily, only when a page renders it;
 * public pages never do (the comment form has a plain {@code action}, not
 * {@code th:action}). CSRF protection stays on for {@code /login}, {@code /logout} and
 * {@code /admin/**}.</li>
 * <li>The one public form, {@code POST /posts/{id}/comments}, carries no token;
 * {@link CrossSitePostFilter} refuses cross-site posts to it instead. It is a servlet
 * filter of its own, just before Security's chain, not a filter inside the chain: a chain
 * that holds only Security's own filters lets the page cache serve the hits Security
 * permits before the chain ({@code pagecache.filter.placement=auto}).</li>
 * <li>Only {@code /admin} requests are saved in the session to return to after the
 * login.</li>
 * <li>Logging out deletes the session cookie, so the browser's next pages are anonymous
 * (and cached) again.</li>
 * </ul>
 *
 * @author pagecache
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String ADMIN = "ADMIN";

	/**
	 * The actuator: reading the page cache's figures is anyone's, purging it (DELETE) the
	 * admin's, with HTTP Basic or the admin's signed-in session (so the dashboard shows
	 * the admin its purge buttons), never creating a session. A cross-site page cannot
	 * send a DELETE without a CORS preflight, which this application never grants, so
	 * purges need no CSRF token.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurityFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/actuator/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, "/actuator/**")
				.permitAll()
				.anyRequest()
				.hasRole(ADMIN))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		HttpSessionRequestCache requestCache = new HttpSessionRequestCache();
		requestCache.setRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/admin/**"));
		http.authorizeHttpRequests(
				(requests) -> requests.requestMatchers("/admin/**").hasRole(ADMIN).anyRequest().permitAll())
			.formLogin((login) -> login.loginPage("/login").defaultSuccessUrl("/admin").permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/").deleteCookies("JSESSIONID"))
			.requestCache((cache) -> cache.requestCache(requestCache))
			.csrf((csrf) -> csrf.ignoringRequestMatchers(commentPost()));
		return http.build();
	}

	/**
	 * Refuses cross-site comment posts before Spring Security's chain runs.
	 */
	@Bean
	FilterRegistrationBean<CrossSitePostFilter> crossSitePostFilter(Environment environment) {
		FilterRegistrationBean<CrossSitePostFilter> registration = new FilterRegistrationBean<>(
				new CrossSitePostFilter(commentPost()));
		registration.setOrder(environment.getProperty("spring.security.filter.order", Integer.class, -100) - 10);
		registration.addUrlPatterns("/posts/*");
		return registration;
	}

	private static RequestMatcher commentPost() {
		return PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/posts/{id}/comments");
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService(BlogProperties properties) {
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		BlogProperties.Admin admin = properties.getAdmin();
		return new InMemoryUserDetailsManager(User.withUsername(admin.getUsername())
			.password(encoder.encode(admin.getPassword()))
			.roles(ADMIN)
			.build());
	}

}
