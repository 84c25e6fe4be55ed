package dev.pagecache.earlyhits;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.earlyhits.EarlyHitApplication.Rules;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hits served before Spring Security ({@code pagecache.filter.placement=auto}, the
 * default), over real HTTP with a real Redis: only when Security's own objects permit the
 * request to an anonymous reader, so a route an access rule, a query parameter the key
 * ignores, a header, the firewall or a filter of the application's own restricts is
 * answered by Security, never by an early hit. Run with
 * {@code -Dearly-hits.placement=before-security} (the unchecked opt-in) the restriction
 * tests fail: the page is served as a {@code HIT}.
 */
@SpringBootTest(classes = EarlyHitApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.filter.placement=${early-hits.placement:auto}",
				// its warming after each clear would send requests after this class's
				// Redis stopped
				"pagecache.refresh-ahead.enabled=false" })
@WithRedisServer
class EarlyHitsTests {

	static RedisServerProcess redis;

	private static final Set<String> PER_RESPONSE = Set.of("date", "age", "x-page-cache", "content-length");

	@LocalServerPort
	int port;

	@Autowired
	PageCache pageCache;

	@Autowired
	Rules rules;

	@BeforeEach
	void reset() {
		this.pageCache.clear();
		this.rules.reportsOpen = true;
		this.rules.hosts.add("localhost");
	}

	@Test
	void earlyHitSkipsTheSecurityChain() {
		assertThat(result(get(this.port, "/articles/1"))).isEqualTo("MISS");
		int writes = this.rules.counter.writes.get();
		assertThat(result(get(this.port, "/articles/1"))).isEqualTo("HIT");
		assertThat(this.rules.counter.writes).as("an early hit runs no filter of the chain").hasValue(writes);
		HttpResponse<byte[]> deferred = get(this.port, "/articles/1", "Origin", "http://localhost:" + this.port);
		assertThat(result(deferred)).isEqualTo("HIT");
		assertThat(this.rules.counter.writes).as("a request with Origin is a hit after the chain").hasValue(writes + 1);
	}

	@Test
	void routeSecurityRestrictsIsNeverServedEarly() {
		cache("/reports/1");
		this.rules.reportsOpen = false;
		assertRefused(401, "/reports/1");
		this.rules.reportsOpen = true;
		assertThat(result(get(this.port, "/reports/1"))).isEqualTo("HIT");
	}

	@Test
	void pageRestrictedByAnUnkeyedParameterIsNotServedEarly() {
		cache("/articles/2");
		assertRefused(401, "/articles/2?preview=1");
	}

	@Test
	void pageRestrictedByAHeaderIsNotServedEarly() {
		cache("/articles/3");
		assertRefused(401, "/articles/3", "X-Client", "blocked");
	}

	@Test
	void firewallStillRejectsEarly() {
		cache("/articles/4");
		this.rules.hosts.remove("localhost");
		assertRefused(400, "/articles/4");
	}

	@Test
	void customFilterInTheChainKeepsItsRoutesLate() {
		get(this.port, "/guarded/1");
		int calls = this.rules.guardCalls.get();
		assertThat(result(get(this.port, "/guarded/1"))).isEqualTo("HIT");
		assertThat(this.rules.guardCalls).as("the hit passed the application's filter").hasValue(calls + 1);
		assertRefused(403, "/guarded/1", "X-Blocked", "yes");
	}

	@Test
	void trustedFilterMakesItsChainEarly() {
		try (ConfigurableApplicationContext context = run(
				"pagecache.filter.early.trusted-filters=" + EarlyHitApplication.GuardFilter.class.getName())) {
			int port = port(context);
			Rules rules = context.getBean(Rules.class);
			assertThat(result(get(port, "/guarded/1"))).isEqualTo("MISS");
			int calls = rules.guardCalls.get();
			assertThat(result(get(port, "/guarded/1"))).isEqualTo("HIT");
			assertThat(rules.guardCalls).as("the hit was served before the trusted filter").hasValue(calls);
		}
	}

	@Test
	void earlyHitCarriesTheSameHeadersAsALateHit() {
		List<String> early = hitHeaders("pagecache.filter.placement=auto");
		List<String> late = hitHeaders("pagecache.filter.placement=after-security");
		assertThat(early).contains("x-written-by: security", "x-frame-options: DENY",
				"content-security-policy: default-src 'self'");
		assertThat(early).containsExactlyInAnyOrderElementsOf(late);
	}

	private static List<String> hitHeaders(String placement) {
		try (ConfigurableApplicationContext context = run(placement)) {
			int port = port(context);
			get(port, "/articles/7");
			HttpResponse<byte[]> hit = get(port, "/articles/7");
			assertThat(result(hit)).isEqualTo("HIT");
			List<String> headers = new ArrayList<>();
			for (Map.Entry<String, List<String>> header : hit.headers().map().entrySet()) {
				String name = header.getKey().toLowerCase(Locale.ROOT);
				if (!PER_RESPONSE.contains(name) && !name.startsWith(":")) {
					header.getValue().forEach((value) -> headers.add(name + ": " + value));
				}
			}
			return headers;
		}
	}

	private static ConfigurableApplicationContext run(String property) {
		return new SpringApplicationBuilder(EarlyHitApplication.class)
			.properties("server.port=0", "pagecache.store=memory", "spring.main.banner-mode=off", property)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/**
	 * Store a page, and check it is served from the store.
	 */
	private void cache(String path) {
		get(this.port, path);
		assertThat(result(get(this.port, path))).isEqualTo("HIT");
	}

	private void assertRefused(int status, String path, String... headers) {
		HttpResponse<byte[]> refused = get(this.port, path, headers);
		assertThat(refused.statusCode()).isEqualTo(status);
		assertThat(result(refused)).isNotEqualTo("HIT");
	}

	static HttpResponse<byte[]> get(int port, String path, String... headers) {
		return TestHttp.bytes(port).get(path, headers);
	}

	static String result(HttpResponse<?> response) {
		return TestHttp.cacheResult(response);
	}

}
