package dev.pagecache.web;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.test.ExpectedLogs;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AllowedHosts} and the {@code pagecache.allowed-hosts} property: which
 * server names and ports may use the cache, and which entries fail start-up.
 *
 * @author pagecache
 */
@ExpectedLogs(failedStartups = true, because = "invalid allowed hosts fail start-up")
class AllowedHostsTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebMvcAutoConfiguration.class, PageCacheAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory");

	private final AllowedHosts hosts = AllowedHosts.of(List.of("Example.com", "www.example.com:8443", "[::1]"));

	@Test
	void noListAllowsAnyHostOnAnyPort() {
		assertThat(AllowedHosts.of(List.of()).refusal(request("http", "anything.example", 1234, 8080))).isNull();
	}

	@Test
	void listedHostIsAllowedInAnyCase() {
		assertThat(this.hosts.refusal(request("http", "example.com", 80, 8080))).isNull();
		assertThat(this.hosts.refusal(request("http", "EXAMPLE.COM", 80, 8080))).isNull();
		assertThat(this.hosts.refusal(request("http", "[::1]", 80, 8080))).isNull();
	}

	@Test
	void hostNotListedIsRefused() {
		for (String name : List.of("evil.example", "example.com.", "sub.example.com", "example.co", "[::2]")) {
			assertThat(this.hosts.refusal(request("http", name, 80, 8080))).as(name).isEqualTo("host not allowed");
		}
	}

	@Test
	void listedHostIsAllowedOnTheSchemesDefaultPortAndOnTheServersOwn() {
		assertThat(this.hosts.refusal(request("http", "example.com", 80, 8080))).isNull();
		assertThat(this.hosts.refusal(request("https", "example.com", 443, 8080))).isNull();
		assertThat(this.hosts.refusal(request("http", "example.com", 8080, 8080))).isNull();
	}

	@Test
	void listedHostOnAnyOtherPortIsRefused() {
		assertThat(this.hosts.refusal(request("http", "example.com", 443, 8080))).isEqualTo("port not allowed");
		assertThat(this.hosts.refusal(request("https", "example.com", 80, 8080))).isEqualTo("port not allowed");
		assertThat(this.hosts.refusal(request("http", "example.com", 8443, 8080))).isEqualTo("port not allowed");
		assertThat(this.hosts.refusal(request("http", "example.com", 1, 8080))).isEqualTo("port not allowed");
	}

	@Test
	void portListedWithTheHostIsAllowedForThatHostOnly() {
		assertThat(this.hosts.refusal(request("https", "www.example.com", 8443, 8080))).isNull();
		assertThat(this.hosts.refusal(request("https", "www.example.com", 443, 8080))).isNull();
		assertThat(this.hosts.refusal(request("https", "www.example.com", 8444, 8080))).isEqualTo("port not allowed");
	}

	@Test
	void validHostsStartTheApplication() {
		this.contextRunner
			.withPropertyValues("pagecache.allowed-hosts=example.com,WWW.Example.com:8443,127.0.0.1,[::1],[::1]:8443")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "pagecache.allowed-hosts=example.com,,example.org",
			"pagecache.allowed-hosts[0]=example.com", "pagecache.allowed-hosts=https://example.com",
			"pagecache.allowed-hosts=example.com/", "pagecache.allowed-hosts=example.com:99999",
			"pagecache.allowed-hosts=example.com:", "pagecache.allowed-hosts=exa mple.com",
			"pagecache.allowed-hosts=user@example.com", "pagecache.allowed-hosts=::1" })
	void invalidEntryFailsStartUpWithAMessageNamingTheProperty(String property) {
		WebApplicationContextRunner runner = this.contextRunner.withPropertyValues(property);
		if (property.contains("[0]")) {
			runner = runner.withPropertyValues("pagecache.allowed-hosts[1]= ");
		}
		runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("pagecache.allowed-hosts");
		});
	}

	private static MockHttpServletRequest request(String scheme, String serverName, int serverPort, int localPort) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.setScheme(scheme);
		request.setServerName(serverName);
		request.setServerPort(serverPort);
		request.setLocalPort(localPort);
		return request;
	}

}
