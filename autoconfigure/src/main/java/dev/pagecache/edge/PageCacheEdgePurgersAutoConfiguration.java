package dev.pagecache.edge;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.OnPropertyListCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the built-in nginx, Fastly and Cloudflare purgers: one
 * {@link EdgePurger} bean for each edge that is configured
 * ({@code pagecache.edge.nginx.endpoints}, {@code pagecache.edge.fastly.enabled},
 * {@code pagecache.edge.cloudflare.enabled}), which the edge tier collects. A bean of the
 * same name replaces one.
 * <p>
 * They wait at most {@code pagecache.edge.timeout} (2 seconds by default) for one
 * request; Cloudflare purges by tag when {@code pagecache.edge.tag-header} is
 * {@code cache-tag}.
 *
 * @author pagecache
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EdgePurgerProperties.class)
public final class PageCacheEdgePurgersAutoConfiguration {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	@Conditional(NginxEndpointsCondition.class)
	@ConditionalOnMissingBean(name = "nginxEdgePurger")
	NginxEdgePurger nginxEdgePurger(EdgePurgerProperties properties, Environment environment) {
		List<String> endpoints = properties.getNginx().getEndpoints();
		if (endpoints.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("pagecache.edge.nginx.endpoints", "",
					"must hold at least one base URL, such as http://127.0.0.1:8000");
		}
		return new NginxEdgePurger(endpoints.stream().map((endpoint) -> URI.create(endpoint.strip())).toList(),
				http("nginx", environment));
	}

	@Bean
	@ConditionalOnBooleanProperty("pagecache.edge.fastly.enabled")
	@ConditionalOnMissingBean(name = "fastlyEdgePurger")
	FastlyEdgePurger fastlyEdgePurger(EdgePurgerProperties properties, Environment environment) {
		EdgePurgerProperties.Fastly fastly = properties.getFastly();
		return new FastlyEdgePurger(withoutTrailingSlash(fastly.getBaseUrl()), fastly.getServiceId(),
				fastly.getApiToken(), URI.create(fastly.getSiteUrl().strip()), fastly.isSoftPurge(),
				http("Fastly", environment));
	}

	@Bean
	@ConditionalOnBooleanProperty("pagecache.edge.cloudflare.enabled")
	@ConditionalOnMissingBean(name = "cloudflareEdgePurger")
	CloudflareEdgePurger cloudflareEdgePurger(EdgePurgerProperties properties, Environment environment) {
		EdgePurgerProperties.Cloudflare cloudflare = properties.getCloudflare();
		return new CloudflareEdgePurger(withoutTrailingSlash(cloudflare.getBaseUrl()), cloudflare.getZoneId(),
				cloudflare.getApiToken(), URI.create(cloudflare.getSiteUrl().strip()), tagsInCacheTag(environment),
				cloudflare.getMaxItemsPerRequest(), http("Cloudflare", environment));
	}

	/**
	 * A client whose requests wait at most {@code pagecache.edge.timeout}, the edge
	 * tier's own property.
	 */
	private static EdgeHttp http(String edge, Environment environment) {
		Duration timeout = Binder.get(environment)
			.bind("pagecache.edge.timeout", Duration.class)
			.orElse(DEFAULT_TIMEOUT);
		return new EdgeHttp(edge, timeout, Clock.systemUTC());
	}

	/**
	 * Whether pages carry their tag tokens in {@code Cache-Tag}, whichever way
	 * {@code pagecache.edge.tag-header} spells it ({@code cache-tag}, {@code CACHE_TAG},
	 * {@code Cache-Tag}).
	 */
	private static boolean tagsInCacheTag(Environment environment) {
		String header = Binder.get(environment).bind("pagecache.edge.tag-header", String.class).orElse("");
		return header.replaceAll("[^A-Za-z]", "").toLowerCase(Locale.ROOT).equals("cachetag");
	}

	private static String withoutTrailingSlash(String url) {
		String stripped = url.strip();
		return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
	}

	/**
	 * Matches when {@code pagecache.edge.nginx.endpoints} is set, as a comma-separated
	 * value or as an indexed list.
	 */
	static final class NginxEndpointsCondition extends OnPropertyListCondition {

		NginxEndpointsCondition() {
			super("pagecache.edge.nginx.endpoints", () -> ConditionMessage.forCondition("nginx endpoints"));
		}

	}

}
