package dev.pagecache.edge;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import dev.pagecache.autoconfigure.PageCacheProperties;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.OnPropertyListCondition;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The built-in Varnish, nginx, Fastly and Cloudflare purgers, imported by
 * {@link PageCacheEdgeAutoConfiguration}: one {@link EdgePurger} bean for each edge that
 * is configured ({@code pagecache.edge.varnish.endpoints},
 * {@code pagecache.edge.nginx.endpoints}, {@code pagecache.edge.fastly.enabled},
 * {@code pagecache.edge.cloudflare.enabled}), which
 * {@link PageCacheEdgeAutoConfiguration} collects. A bean of the same name replaces one.
 * <p>
 * They wait at most {@code pagecache.edge.timeout} for one request. Each purges by tag
 * only when pages carry the tag header it reads ({@code pagecache.edge.tag-header}:
 * {@code xkey} for Varnish, {@code surrogate-key} for Fastly, {@code cache-tag} for
 * Cloudflare), otherwise by URL; nginx always purges by URL.
 *
 * @author pagecache
 */
@Configuration(proxyBeanMethods = false)
final class EdgePurgersConfiguration {

	@Bean
	@Conditional(VarnishEndpointsCondition.class)
	@ConditionalOnMissingBean(name = "pageCacheVarnishPurger")
	VarnishPurger pageCacheVarnishPurger(PageCacheProperties properties) {
		PageCacheProperties.Edge edge = properties.getEdge();
		List<String> endpoints = endpoints("pagecache.edge.varnish.endpoints", edge.getVarnish().getEndpoints(),
				"http://127.0.0.1:6081");
		return new VarnishPurger(endpoints, edge.getTagHeader() == PageCacheProperties.TagHeader.XKEY,
				edge.getTimeout());
	}

	@Bean
	@Conditional(NginxEndpointsCondition.class)
	@ConditionalOnMissingBean(name = "pageCacheNginxPurger")
	NginxPurger pageCacheNginxPurger(PageCacheProperties properties) {
		List<String> endpoints = endpoints("pagecache.edge.nginx.endpoints",
				properties.getEdge().getNginx().getEndpoints(), "http://127.0.0.1:8000");
		return new NginxPurger(endpoints.stream().map((endpoint) -> URI.create(endpoint.strip())).toList(),
				http("nginx", properties));
	}

	@Bean
	@ConditionalOnBooleanProperty("pagecache.edge.fastly.enabled")
	@ConditionalOnMissingBean(name = "pageCacheFastlyPurger")
	FastlyPurger pageCacheFastlyPurger(PageCacheProperties properties) {
		PageCacheProperties.Edge.Fastly fastly = properties.getEdge().getFastly();
		boolean byKeys = properties.getEdge().getTagHeader() == PageCacheProperties.TagHeader.SURROGATE_KEY;
		return new FastlyPurger(withoutTrailingSlash(fastly.getBaseUrl()), fastly.getServiceId(), fastly.getApiToken(),
				URI.create(fastly.getSiteUrl().strip()), byKeys, fastly.isSoftPurge(), http("Fastly", properties));
	}

	@Bean
	@ConditionalOnBooleanProperty("pagecache.edge.cloudflare.enabled")
	@ConditionalOnMissingBean(name = "pageCacheCloudflarePurger")
	CloudflarePurger pageCacheCloudflarePurger(PageCacheProperties properties) {
		PageCacheProperties.Edge.Cloudflare cloudflare = properties.getEdge().getCloudflare();
		boolean byTags = properties.getEdge().getTagHeader() == PageCacheProperties.TagHeader.CACHE_TAG;
		return new CloudflarePurger(withoutTrailingSlash(cloudflare.getBaseUrl()), cloudflare.getZoneId(),
				cloudflare.getApiToken(), URI.create(cloudflare.getSiteUrl().strip()), byTags,
				cloudflare.getMaxItemsPerRequest(), http("Cloudflare", properties));
	}

	/**
	 * The endpoints of a property that is set, which must then name at least one.
	 */
	private static List<String> endpoints(String property, List<String> endpoints, String example) {
		if (endpoints.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(property, "",
					"must hold at least one base URL, such as " + example);
		}
		return endpoints;
	}

	private static EdgeHttp http(String edge, PageCacheProperties properties) {
		return new EdgeHttp(edge, properties.getEdge().getTimeout(), Clock.systemUTC());
	}

	private static String withoutTrailingSlash(String url) {
		String stripped = url.strip();
		return stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped;
	}

	/**
	 * Matches when {@code pagecache.edge.varnish.endpoints} is set, as a comma-separated
	 * value or as an indexed list.
	 */
	static final class VarnishEndpointsCondition extends OnPropertyListCondition {

		VarnishEndpointsCondition() {
			super("pagecache.edge.varnish.endpoints", () -> ConditionMessage.forCondition("Varnish endpoints"));
		}

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
