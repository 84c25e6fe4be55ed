package dev.pagecache.security;

import java.security.Principal;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.pagecache.CachePage;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * An application with Spring Security: public pages that greet a signed-in reader by
 * name, members-only pages, reports behind an access rule that does not depend on
 * credentials, HTTP Basic and form login.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SecuredPageApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ReportsGate reportsGate) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/members/**")
			.authenticated()
			.requestMatchers("/reports/**")
			.access((authentication, context) -> new AuthorizationDecision(reportsGate.open))
			.anyRequest()
			.permitAll()).httpBasic(Customizer.withDefaults()).formLogin(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	ReportsGate reportsGate() {
		return new ReportsGate();
	}

	/**
	 * Whether the public reports may be read: an access rule that depends on something
	 * other than credentials (an embargo, opening hours, a country), which only Spring
	 * Security's filter enforces.
	 */
	static class ReportsGate {

		volatile boolean open = true;

	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("reader").password("{noop}secret").roles("READER").build());
	}

	@Controller
	static class SecuredPageController {

		final AtomicInteger articleRenders = new AtomicInteger();

		final AtomicInteger memberRenders = new AtomicInteger();

		final AtomicInteger plainCalls = new AtomicInteger();

		@GetMapping("/articles/{id}")
		@CachePage
		String article(@PathVariable long id, @Nullable Principal user, Model model) {
			model.addAttribute("id", id);
			model.addAttribute("user", (user != null) ? user.getName() : null);
			model.addAttribute("render", this.articleRenders.incrementAndGet());
			return "article";
		}

		@GetMapping("/reports/{id}")
		@CachePage
		String report(@PathVariable long id, Model model) {
			model.addAttribute("id", id);
			model.addAttribute("render", this.articleRenders.incrementAndGet());
			return "article";
		}

		@GetMapping("/members/{id}")
		@CachePage
		String memberPage(@PathVariable long id, Model model) {
			model.addAttribute("id", id);
			model.addAttribute("render", this.memberRenders.incrementAndGet());
			return "article";
		}

		@GetMapping("/plain")
		@ResponseBody
		String plain() {
			return "plain " + this.plainCalls.incrementAndGet();
		}

	}

}
