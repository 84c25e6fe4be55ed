package dev.pagecache.web;

import java.net.http.HttpResponse;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.CachePage;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.VarnishProcess;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application in several languages, with Spring Boot's default locale resolver (the
 * request's {@code Accept-Language}), behind a real Varnish running the shipped VCL: the
 * page of the default locale is shared at the edge, and a reader who asks for another
 * language never gets it from there. Skipped with a message where {@code varnishd} is not
 * installed, unless {@code CI} is set.
 */
@SpringBootTest(classes = EdgeLocaleVarnishTests.GreetingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "pagecache.edge.enabled=true", "pagecache.edge.tag-header=xkey" })
class EdgeLocaleVarnishTests {

	private static final int VARNISH_PORT = VarnishProcess.freePort();

	private static VarnishProcess varnish;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void varnishEndpoint(DynamicPropertyRegistry registry) {
		registry.add("pagecache.edge.varnish.endpoints", () -> "http://127.0.0.1:" + VARNISH_PORT);
	}

	@BeforeAll
	static void varnishInstalled() {
		VarnishProcess.assumeInstalled();
	}

	@BeforeEach
	void startVarnishInFrontOfTheApplication() {
		if (varnish == null) {
			varnish = VarnishProcess.start(VARNISH_PORT, this.port);
		}
	}

	@AfterAll
	static void stopVarnish() {
		if (varnish != null) {
			varnish.close();
			varnish = null;
		}
	}

	@Test
	void readerOfAnotherLanguageNeverGetsTheSharedPageOfTheDefaultOne() {
		TestHttp<String> edge = TestHttp.text(VARNISH_PORT);
		String language = Locale.getDefault().toLanguageTag();
		HttpResponse<String> first = edge.get("/greeting", "Accept-Language", language);
		assertThat(first.body()).isEqualTo(GreetingController.inLanguageOf(Locale.getDefault()));
		assertThat(first.headers().firstValue("Cache-Control"))
			.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).startsWith("public, s-maxage="));
		HttpResponse<String> again = edge.get("/greeting", "Accept-Language", language);
		assertThat(again.headers().firstValue("X-Cache")).as("served by Varnish").hasValue("HIT");
		HttpResponse<String> french = edge.get("/greeting", "Accept-Language", "fr-FR");
		assertThat(french.body()).isEqualTo("Bonjour");
		HttpResponse<String> frenchAgain = edge.get("/greeting", "Accept-Language", "fr-FR");
		assertThat(frenchAgain.body()).isEqualTo("Bonjour");
		assertThat(again.headers().firstValue("Vary"))
			.hasValueSatisfying((vary) -> assertThat(vary).containsIgnoringCase("Accept-Language"));
	}

	@RestController
	static class GreetingController {

		static String inLanguageOf(Locale locale) {
			return locale.getLanguage().equals("fr") ? "Bonjour" : "Hello";
		}

		@GetMapping("/greeting")
		@CachePage
		String greeting(Locale locale) {
			return inLanguageOf(locale);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(GreetingController.class)
	static class GreetingApplication {

	}

}
