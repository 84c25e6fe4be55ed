package dev.pagecache.mvc;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.pagecache.test.TestHttp;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC patterns of a typical Thymeleaf application cache as they render (DESIGN
 * section 14), over HTTP with a real Tomcat, Thymeleaf and a real Redis server: search
 * pages that bind a form object, {@code ?lang=} through a {@code LocaleChangeInterceptor}
 * with a session locale resolver, {@code Content-Language}, {@code ModelAndView} handlers
 * and flash attributes after a redirect.
 */
@SpringBootTest(classes = MvcPatternsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.messages.basename=mvc/messages")
class MvcPatternsHttpTests extends MvcHttpTestSupport {

	@Test
	void searchPageWithAFormObjectIsStoredAndThenHit() {
		HttpResponse<String> miss = this.http.get("/owners?lastName=Davis", "User-Agent", "Mozilla/5.0 (first)");
		HttpResponse<String> hit = this.http.get("/owners?lastName=Davis", "User-Agent", "Mozilla/5.0 (second)");
		assertThat(cacheResult(miss)).isEqualTo("MISS");
		assertThat(miss.body()).contains("Owners named <span class=\"last-name\">Davis</span>");
		assertThat(cacheResult(hit)).isEqualTo("HIT");
		assertThat(hit.body()).isEqualTo(miss.body());
		assertThat(this.controller.calls("owners")).isEqualTo(1);
	}

	@Test
	void formObjectWithAPropertyNamedLikeAHeaderIsNotSharedAcrossItsValues() {
		HttpResponse<String> first = this.http.get("/agents?name=bond", "User-Agent", "Agent-One/1.0");
		HttpResponse<String> second = this.http.get("/agents?name=bond", "User-Agent", "Agent-Two/2.0");
		assertThat(first.body()).contains("<span class=\"agent\">Agent-One/1.0</span>");
		assertThat(second.body()).contains("<span class=\"agent\">Agent-Two/2.0</span>").doesNotContain("Agent-One");
		assertThat(cacheResult(second)).isNotEqualTo("HIT");
		assertThat(this.controller.calls("agents")).isEqualTo(2);
	}

	@Test
	void germanIsRenderedForLangDeAndNeverServedToAnEnglishRequest() {
		HttpResponse<String> english = this.http.get("/welcome");
		assertThat(english.body()).contains("<h1>Welcome</h1>");
		assertThat(cacheResult(this.http.get("/welcome"))).isEqualTo("HIT");
		HttpResponse<String> german = this.http.get("/welcome?lang=de");
		assertThat(german.body()).contains("<h1>Willkommen</h1>");
		assertThat(cacheResult(german)).isNotEqualTo("HIT");
		assertThat(german.headers().firstValue("Content-Language")).hasValue("de");
		HttpResponse<String> germanAgain = this.http.get("/welcome?lang=de");
		assertThat(germanAgain.body()).contains("<h1>Willkommen</h1>");
		HttpResponse<String> englishAgain = this.http.get("/welcome");
		assertThat(englishAgain.body()).contains("<h1>Welcome</h1>");
		assertThat(cacheResult(englishAgain)).isEqualTo("HIT");
	}

	@Test
	void englishIsNeverServedToLangDeAfterAGermanRender() {
		assertThat(this.http.get("/welcome?lang=de").body()).contains("<h1>Willkommen</h1>");
		HttpResponse<String> english = this.http.get("/welcome");
		assertThat(english.body()).contains("<h1>Welcome</h1>").doesNotContain("Willkommen");
		assertThat(this.http.get("/welcome?lang=de").body()).contains("<h1>Willkommen</h1>");
	}

	@Test
	void contentLanguageIsTheSameOnMissAndHit() {
		HttpResponse<String> miss = this.http.get("/vets");
		HttpResponse<String> hit = this.http.get("/vets");
		assertThat(cacheResult(miss)).isEqualTo("MISS");
		assertThat(cacheResult(hit)).isEqualTo("HIT");
		assertThat(miss.headers().firstValue("Content-Language")).hasValue("en");
		assertThat(hit.headers().allValues("Content-Language")).isEqualTo(miss.headers().allValues("Content-Language"));
	}

	@Test
	void modelAndViewPageIsStoredAndHit() {
		HttpResponse<String> miss = this.http.get("/vets");
		HttpResponse<String> hit = this.http.get("/vets");
		assertThat(miss.body()).contains("<h1>Veterinarians</h1>");
		assertThat(cacheResult(hit)).isEqualTo("HIT");
		assertThat(hit.body()).isEqualTo(miss.body());
		assertThat(this.controller.calls("vets")).isEqualTo(1);
	}

	@Test
	void pageAfterARedirectWithAFlashMessageShowsItAndIsNeverStoredWithIt() {
		HttpResponse<String> before = this.http.get("/owners/7");
		assertThat(cacheResult(this.http.get("/owners/7"))).isEqualTo("HIT");
		HttpResponse<String> saved = this.http.postForm("/owners/7", TestHttp.fields("name", "Davis"));
		assertThat(saved.statusCode()).isEqualTo(302);
		String session = TestHttp.sessionCookie(saved).orElseThrow();
		HttpResponse<String> flashed = this.http.get("/owners/7", "Cookie", session);
		assertThat(flashed.body()).contains("<p class=\"message\">Owner 7 saved</p>");
		assertThat(cacheResult(flashed)).isNotEqualTo("HIT");
		HttpResponse<String> anonymous = this.http.get("/owners/7");
		assertThat(cacheResult(anonymous)).isEqualTo("HIT");
		assertThat(anonymous.body()).isEqualTo(before.body()).doesNotContain("saved");
		HttpResponse<String> reload = this.http.get("/owners/7", "Cookie", session);
		assertThat(reload.body()).doesNotContain("saved");
	}

}
