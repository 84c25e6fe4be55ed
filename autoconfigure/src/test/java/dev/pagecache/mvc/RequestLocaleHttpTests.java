package dev.pagecache.mvc;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.TestHttp;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ?lang=} with a locale resolver that keeps the changed locale in the request
 * only, so that the German page creates no session and is stored: German on miss and hit,
 * English on miss and hit, never one for the other, and the parameter of the
 * application's {@code LocaleChangeInterceptor} as well as one declared in
 * {@code pagecache.interceptor-params} reach the render.
 */
@SpringBootTest(classes = MvcPatternsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.messages.basename=mvc/messages", "mvc-test.locale-resolver=request",
				"pagecache.interceptor-params=theme" })
class RequestLocaleHttpTests extends MvcHttpTestSupport {

	@Test
	void langDeIsGermanOnMissAndHitAndEnglishStaysEnglish() {
		HttpResponse<String> englishMiss = this.http.get("/welcome");
		HttpResponse<String> germanMiss = this.http.get("/welcome?lang=de");
		HttpResponse<String> germanHit = this.http.get("/welcome?lang=de");
		HttpResponse<String> englishHit = this.http.get("/welcome");
		assertThat(englishMiss.body()).contains("<h1>Welcome</h1>");
		assertThat(cacheResult(germanMiss)).isEqualTo("MISS");
		assertThat(germanMiss.body()).contains("<h1>Willkommen</h1>");
		assertThat(cacheResult(germanHit)).isEqualTo("HIT");
		assertThat(germanHit.body()).isEqualTo(germanMiss.body());
		assertThat(germanHit.headers().firstValue("Content-Language")).hasValue("de");
		assertThat(cacheResult(englishHit)).isEqualTo("HIT");
		assertThat(englishHit.body()).isEqualTo(englishMiss.body());
		assertThat(englishHit.headers().firstValue("Content-Language")).hasValue("en");
		assertThat(this.controller.calls("welcome")).isEqualTo(2);
	}

	@Test
	void germanRenderedFirstIsNeverServedToAnEnglishRequest() {
		assertThat(this.http.get("/vets?lang=de").body()).contains("<h1>Tierärzte</h1>");
		HttpResponse<String> english = this.http.get("/vets");
		assertThat(cacheResult(english)).isEqualTo("MISS");
		assertThat(english.body()).contains("<h1>Veterinarians</h1>");
		assertThat(this.http.get("/vets?lang=de").body()).contains("<h1>Tierärzte</h1>");
		assertThat(this.http.get("/vets").body()).contains("<h1>Veterinarians</h1>");
	}

	@Test
	void parameterDeclaredForAnInterceptorReachesTheRenderAndIsKeyed() {
		HttpResponse<String> dark = this.http.get("/welcome?theme=dark");
		HttpResponse<String> darkAgain = this.http.get("/welcome?theme=dark");
		HttpResponse<String> plain = this.http.get("/welcome");
		assertThat(dark.body()).contains("<body class=\"dark\">");
		assertThat(cacheResult(darkAgain)).isEqualTo("HIT");
		assertThat(darkAgain.body()).isEqualTo(dark.body());
		assertThat(plain.body()).doesNotContain("dark");
	}

}
