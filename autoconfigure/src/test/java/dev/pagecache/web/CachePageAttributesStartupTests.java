package dev.pagecache.web;

import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.test.ExpectedLogs;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * An attribute of {@code @CachePage(attributes)} that does not name a type and an
 * attribute fails start-up with a message that names the handler and the value.
 */
@ExpectedLogs(failedStartups = true, because = "invalid @CachePage attributes fail start-up")
class CachePageAttributesStartupTests {

	@Test
	void attributeWithoutItsTypeFailsStartUp() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new SpringApplicationBuilder(BadAttributeApplication.class)
				.properties("server.port=0", "pagecache.store=memory", "spring.main.banner-mode=off")
				.run()
				.close())
			.withMessageContaining("@CachePage(attributes)")
			.withMessageContaining("BadAttributeController")
			.withMessageContaining("'title' is not of the form Type.attribute");
	}

	@SpringBootApplication(proxyBeanMethods = false)
	static class BadAttributeApplication {

		@RestController
		static class BadAttributeController {

			@GetMapping("/titles")
			@CachePage(attributes = "title")
			String titles() {
				return "titles";
			}

		}

	}

}
