package dev.pagecache.sample;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The login page; Spring Security handles {@code POST /login}. Not cached: its form
 * carries a CSRF token.
 *
 * @author pagecache
 */
@Controller
class LoginController {

	@GetMapping("/login")
	String login() {
		return "login";
	}

}
