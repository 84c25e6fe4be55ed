package dev.pagecache.security;

import java.util.concurrent.atomic.AtomicInteger;

import dev.pagecache.CachePage;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
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
 * An application with Spring Security: public pages, members-only pages, HTTP Basic and form login.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SecuredPageApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/members/**")
			.authenticated()
			.anyRequest()
			.permitAll()).httpBasic(Customizer.withDefaults()).formLogin(Customizer.withDefaults());
		return http.build();
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
		String article(@PathVariable long id, Model model) {
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
