package dev.pagecache.earlyhits;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.pagecache.CachePage;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An application whose access rules depend on more than credentials, for the hits served
 * before Spring Security: an embargo flipped at run time, a rule on a query parameter the
 * key ignores, a rule on a header, a firewall whose allowed host names change, and a
 * second chain holding a filter of the application's own. A header writer counts the
 * requests that pass the main chain.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class EarlyHitApplication {

	@Bean
	@Order(1)
	SecurityFilterChain guardedChain(HttpSecurity http, Rules rules) throws Exception {
		http.securityMatcher("/guarded/**")
			.addFilterBefore(new GuardFilter(rules), AuthorizationFilter.class)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain mainChain(HttpSecurity http, Rules rules) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/members/**")
			.authenticated()
			.requestMatchers("/reports/**")
			.access((authentication, context) -> new AuthorizationDecision(rules.reportsOpen))
			.requestMatchers((request) -> request.getParameter("preview") != null)
			.authenticated()
			.requestMatchers((request) -> "blocked".equals(request.getHeader("X-Client")))
			.denyAll()
			.anyRequest()
			.permitAll())
			.headers((headers) -> headers.addHeaderWriter(rules.counter)
				.contentSecurityPolicy((csp) -> csp.policyDirectives("default-src 'self'")))
			.httpBasic(Customizer.withDefaults())
			.formLogin(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	WebSecurityCustomizer firewall(Rules rules) {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHostnames(rules.hosts::contains);
		return (web) -> web.httpFirewall(firewall);
	}

	@Bean
	Rules rules() {
		return new Rules();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("reader").password("{noop}secret").roles("READER").build());
	}

	/**
	 * The rules that change at run time, and what counts Security's work.
	 */
	static class Rules {

		volatile boolean reportsOpen = true;

		final Set<String> hosts = ConcurrentHashMap.newKeySet();

		final AtomicInteger guardCalls = new AtomicInteger();

		final CountingHeaderWriter counter = new CountingHeaderWriter();

		Rules() {
			this.hosts.add("localhost");
		}

	}

	/**
	 * Counts the responses Security's {@code HeaderWriterFilter} writes headers to, that
	 * is the requests that passed the main chain; writes one static header.
	 */
	static class CountingHeaderWriter implements HeaderWriter {

		final AtomicInteger writes = new AtomicInteger();

		@Override
		public void writeHeaders(HttpServletRequest request, HttpServletResponse response) {
			this.writes.incrementAndGet();
			if (!response.containsHeader("X-Written-By")) {
				response.setHeader("X-Written-By", "security");
			}
		}

	}

	/**
	 * A filter of the application's own inside a security chain: refuses requests that
	 * carry {@code X-Blocked}, and counts the requests it sees.
	 */
	static class GuardFilter extends OncePerRequestFilter {

		private final Rules rules;

		GuardFilter(Rules rules) {
			this.rules = rules;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			this.rules.guardCalls.incrementAndGet();
			if (request.getHeader("X-Blocked") != null) {
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
				return;
			}
			chain.doFilter(request, response);
		}

	}

	@Controller
	static class EarlyHitController {

		final AtomicInteger renders = new AtomicInteger();

		@GetMapping({ "/articles/{id}", "/reports/{id}", "/guarded/{id}" })
		@CachePage
		String article(@PathVariable long id, Model model) {
			model.addAttribute("id", id);
			model.addAttribute("render", this.renders.incrementAndGet());
			return "article";
		}

	}

}
