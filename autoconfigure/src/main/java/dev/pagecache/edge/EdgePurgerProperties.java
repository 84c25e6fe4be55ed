package dev.pagecache.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.pagecache.autoconfigure.PageCacheProperties;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Configuration properties of the built-in nginx, Fastly and Cloudflare purgers
 * ({@code pagecache.edge.nginx.*}, {@code pagecache.edge.fastly.*},
 * {@code pagecache.edge.cloudflare.*}); the edge tier's own properties
 * ({@code pagecache.edge.enabled}, {@code .tag-header}, {@code .timeout}, ...) are in
 * {@link PageCacheProperties.Edge}.
 *
 * @author pagecache
 */
@ConfigurationProperties("pagecache.edge")
public class EdgePurgerProperties implements InitializingBean {

	private final Nginx nginx = new Nginx();

	private final Fastly fastly = new Fastly();

	private final Cloudflare cloudflare = new Cloudflare();

	/**
	 * Check the bound values of the purgers that are on, failing start-up with a message
	 * that names the offending property.
	 */
	@Override
	public void afterPropertiesSet() {
		for (String endpoint : this.nginx.endpoints) {
			baseUrl("pagecache.edge.nginx.endpoints", endpoint, "http://127.0.0.1:8000");
		}
		if (this.fastly.enabled) {
			identifier("pagecache.edge.fastly.service-id", this.fastly.serviceId, "pagecache.edge.fastly.enabled");
			required("pagecache.edge.fastly.api-token", this.fastly.apiToken, "pagecache.edge.fastly.enabled");
			baseUrl("pagecache.edge.fastly.base-url", this.fastly.baseUrl, "https://api.fastly.com");
			siteUrl("pagecache.edge.fastly.site-url", this.fastly.siteUrl, "pagecache.edge.fastly.enabled");
		}
		if (this.cloudflare.enabled) {
			identifier("pagecache.edge.cloudflare.zone-id", this.cloudflare.zoneId,
					"pagecache.edge.cloudflare.enabled");
			required("pagecache.edge.cloudflare.api-token", this.cloudflare.apiToken,
					"pagecache.edge.cloudflare.enabled");
			baseUrl("pagecache.edge.cloudflare.base-url", this.cloudflare.baseUrl,
					"https://api.cloudflare.com/client/v4");
			siteUrl("pagecache.edge.cloudflare.site-url", this.cloudflare.siteUrl, "pagecache.edge.cloudflare.enabled");
			int max = this.cloudflare.maxItemsPerRequest;
			check("pagecache.edge.cloudflare.max-items-per-request", max,
					max >= 1 && max <= CloudflarePurger.MAX_ITEMS_PER_REQUEST, "must be between 1 and "
							+ CloudflarePurger.MAX_ITEMS_PER_REQUEST + ", Cloudflare's documented limit");
		}
	}

	private static void required(String name, @Nullable String value, String enabledBy) {
		check(name, value, value != null && !value.isBlank(), "must be set when " + enabledBy + " is true");
	}

	private static void identifier(String name, @Nullable String value, String enabledBy) {
		required(name, value, enabledBy);
		check(name, value, value != null && value.matches("[A-Za-z0-9]+"), "must hold only letters and digits");
	}

	private static URI baseUrl(String name, @Nullable String value, String example) {
		URI uri = parse(value);
		check(name, value,
				uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
						&& uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null,
				"must hold base URLs such as " + example + ", with scheme http or https, a host, and no query or "
						+ "fragment");
		return uri;
	}

	private static void siteUrl(String name, @Nullable String value, String enabledBy) {
		required(name, value, enabledBy);
		URI uri = baseUrl(name, value, "https://www.example.com");
		check(name, value, uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()),
				"must be the site's scheme, host and port, without a path, such as https://www.example.com");
	}

	private static @Nullable URI parse(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return new URI(value.strip());
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static void check(String name, @Nullable Object value, boolean valid, String reason) {
		if (!valid) {
			throw new InvalidConfigurationPropertyValueException(name, value, reason);
		}
	}

	public Nginx getNginx() {
		return this.nginx;
	}

	public Fastly getFastly() {
		return this.fastly;
	}

	public Cloudflare getCloudflare() {
		return this.cloudflare;
	}

	/**
	 * nginx's proxy_cache in front of the application, with the shipped
	 * edge/nginx/pagecache.conf and Debian's libnginx-mod-http-cache-purge.
	 */
	public static class Nginx {

		/**
		 * Base URLs of the nginx servers to purge by URL, such as http://127.0.0.1:8000;
		 * each gets every purge.
		 */
		private List<String> endpoints = new ArrayList<>();

		public List<String> getEndpoints() {
			return this.endpoints;
		}

		public void setEndpoints(List<String> endpoints) {
			this.endpoints = endpoints;
		}

	}

	/**
	 * Fastly, purged by surrogate key through its API.
	 */
	public static class Fastly {

		/**
		 * Whether to purge a Fastly service: by surrogate key when pages carry
		 * Surrogate-Key (pagecache.edge.tag-header=surrogate-key), else by URL.
		 */
		private boolean enabled;

		/**
		 * Identifier of the Fastly service to purge.
		 */
		private @Nullable String serviceId;

		/**
		 * Fastly API token with the purge_select scope on the service.
		 */
		private @Nullable String apiToken;

		/**
		 * Base URL of the Fastly API.
		 */
		private String baseUrl = "https://api.fastly.com";

		/**
		 * Scheme, host and port of the site as Fastly serves it, such as
		 * https://www.example.com, for pages purged by URL.
		 */
		private @Nullable String siteUrl;

		/**
		 * Whether purges mark pages stale instead of removing them; a service that serves
		 * stale content (stale-while-revalidate, stale-if-error) may then serve a purged
		 * page once more.
		 */
		private boolean softPurge;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getServiceId() {
			return this.serviceId;
		}

		public void setServiceId(@Nullable String serviceId) {
			this.serviceId = serviceId;
		}

		public @Nullable String getApiToken() {
			return this.apiToken;
		}

		public void setApiToken(@Nullable String apiToken) {
			this.apiToken = apiToken;
		}

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public @Nullable String getSiteUrl() {
			return this.siteUrl;
		}

		public void setSiteUrl(@Nullable String siteUrl) {
			this.siteUrl = siteUrl;
		}

		public boolean isSoftPurge() {
			return this.softPurge;
		}

		public void setSoftPurge(boolean softPurge) {
			this.softPurge = softPurge;
		}

	}

	/**
	 * Cloudflare, purged by cache tag or by file through its API.
	 */
	public static class Cloudflare {

		/**
		 * Whether to purge a Cloudflare zone: by tag when pages carry Cache-Tag
		 * (pagecache.edge.tag-header=cache-tag), else by URL.
		 */
		private boolean enabled;

		/**
		 * Identifier of the Cloudflare zone to purge.
		 */
		private @Nullable String zoneId;

		/**
		 * Cloudflare API token with the Cache Purge permission on the zone.
		 */
		private @Nullable String apiToken;

		/**
		 * Base URL of the Cloudflare API.
		 */
		private String baseUrl = "https://api.cloudflare.com/client/v4";

		/**
		 * Scheme, host and port of the site as Cloudflare serves it, such as
		 * https://www.example.com: files are purged by their full URL.
		 */
		private @Nullable String siteUrl;

		/**
		 * Most tags or files in one purge request, at most Cloudflare's documented 100.
		 */
		private int maxItemsPerRequest = 100;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getZoneId() {
			return this.zoneId;
		}

		public void setZoneId(@Nullable String zoneId) {
			this.zoneId = zoneId;
		}

		public @Nullable String getApiToken() {
			return this.apiToken;
		}

		public void setApiToken(@Nullable String apiToken) {
			this.apiToken = apiToken;
		}

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public @Nullable String getSiteUrl() {
			return this.siteUrl;
		}

		public void setSiteUrl(@Nullable String siteUrl) {
			this.siteUrl = siteUrl;
		}

		public int getMaxItemsPerRequest() {
			return this.maxItemsPerRequest;
		}

		public void setMaxItemsPerRequest(int maxItemsPerRequest) {
			this.maxItemsPerRequest = maxItemsPerRequest;
		}

	}

}
