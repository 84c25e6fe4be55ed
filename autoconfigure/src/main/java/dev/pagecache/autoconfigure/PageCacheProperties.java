package dev.pagecache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of pagecache.
 *
 * @author pagecache
 */
@ConfigurationProperties("pagecache")
public class PageCacheProperties implements InitializingBean {

	/**
	 * Whether to cache pages at all.
	 */
	private boolean enabled = true;

	/**
	 * Where pages are kept. Defaults to redis when Spring Data Redis is on the class
	 * path, else memory.
	 */
	private @Nullable StoreType store;

	/**
	 * Time to live of pages whose @CachePage declares none.
	 */
	private Duration defaultTtl = Duration.ofMinutes(10);

	/**
	 * Largest response body that is stored; larger bodies stream through uncached.
	 */
	private DataSize maxEntrySize = DataSize.ofMegabytes(1);

	/**
	 * Gzip level at which a page is compressed once, when stored: from 1, the fastest
	 * miss, to 9, the smallest page in the store and on the wire.
	 */
	private int compressionLevel = 1;

	/**
	 * Longest render whose page may still be stored; also how long invalidation records
	 * are kept.
	 */
	private Duration maxRenderTime = Duration.ofSeconds(30);

	/**
	 * Length past which a page key is replaced by a readable prefix and a SHA-256 digest.
	 */
	private int maxKeyLength = 512;

	/**
	 * Response statuses that may be stored.
	 */
	private Set<Integer> cacheableStatuses = new LinkedHashSet<>(Set.of(200));

	/**
	 * Hosts whose requests may use the cache, on the scheme's default port or the
	 * server's, or on a port given as host:port; other requests bypass it. Empty for any.
	 */
	private List<String> allowedHosts = new ArrayList<>();

	/**
	 * Query parameters that an interceptor or filter reads and that change the page,
	 * keyed on every route; a registered LocaleChangeInterceptor's parameter is keyed
	 * without it.
	 */
	private List<String> interceptorParams = new ArrayList<>();

	private final Credentials credentials = new Credentials();

	private final Filter filter = new Filter();

	private final Memory memory = new Memory();

	private final Redis redis = new Redis();

	private final Statistics statistics = new Statistics();

	private final Dashboard dashboard = new Dashboard();

	private final SingleFlight singleFlight = new SingleFlight();

	/**
	 * Check the bound values, failing start-up with a message that names the offending
	 * property.
	 */
	@Override
	public void afterPropertiesSet() {
		checkPages();
		checkRedis();
		checkStatisticsAndSingleFlight();
	}

	private void checkPages() {
		positive("pagecache.default-ttl", this.defaultTtl);
		positive("pagecache.max-render-time", this.maxRenderTime);
		check("pagecache.max-entry-size", this.maxEntrySize,
				this.maxEntrySize.toBytes() > 0 && this.maxEntrySize.toBytes() < Integer.MAX_VALUE - 8,
				"must be positive and under 2GB");
		check("pagecache.compression-level", this.compressionLevel,
				this.compressionLevel >= 1 && this.compressionLevel <= 9,
				"must be between 1 (fastest) and 9 (smallest)");
		check("pagecache.max-key-length", this.maxKeyLength, this.maxKeyLength >= 128, "must be at least 128");
		check("pagecache.cacheable-statuses", this.cacheableStatuses,
				!this.cacheableStatuses.isEmpty()
						&& this.cacheableStatuses.stream().allMatch(PageCacheProperties::isStorableStatus),
				"must hold only 2xx, 301, 308, 404 or 410 statuses");
		check("pagecache.allowed-hosts", this.allowedHosts,
				this.allowedHosts.stream().allMatch(PageCacheProperties::isHost),
				"must hold host names such as example.com or example.com:8443, without blank entries, scheme or path");
		check("pagecache.interceptor-params", this.interceptorParams,
				this.interceptorParams.stream()
					.allMatch((param) -> param != null && !param.isBlank() && param.strip().equals(param)
							&& param.indexOf('=') < 0 && param.indexOf('&') < 0),
				"must hold query parameter names, without blank entries, spaces, '=' or '&'");
		check("pagecache.memory.max-entries", this.memory.maxEntries, this.memory.maxEntries > 0, "must be positive");
		check("pagecache.memory.max-size", this.memory.maxSize, this.memory.maxSize.toBytes() > 0, "must be positive");
	}

	private void checkRedis() {
		check("pagecache.redis.namespace", this.redis.namespace, this.redis.namespace.matches("[A-Za-z0-9_.:-]+"),
				"must be made of letters, digits and _ . : -");
		positive("pagecache.redis.timeout", this.redis.timeout);
		positive("pagecache.redis.connect-timeout", this.redis.connectTimeout);
		positive("pagecache.redis.max-reconnect-delay", this.redis.maxReconnectDelay);
		check("pagecache.redis.circuit-breaker-failures", this.redis.circuitBreakerFailures,
				this.redis.circuitBreakerFailures > 0, "must be positive");
		positive("pagecache.redis.circuit-breaker-open-duration", this.redis.circuitBreakerOpenDuration);
		check("pagecache.redis.max-pages-per-route", this.redis.maxPagesPerRoute, this.redis.maxPagesPerRoute >= 0,
				"must not be negative");
		NearCache near = this.redis.nearCache;
		check("pagecache.redis.near-cache.max-size", near.maxSize, near.maxSize.toBytes() > 0, "must be positive");
		positive("pagecache.redis.near-cache.max-age", near.maxAge);
		positive("pagecache.redis.near-cache.heartbeat-interval", near.heartbeatInterval);
		check("pagecache.redis.near-cache.registration-ttl", near.registrationTtl,
				near.registrationTtl.compareTo(near.heartbeatInterval.multipliedBy(2)) >= 0,
				"must be at least twice pagecache.redis.near-cache.heartbeat-interval");
	}

	private void checkStatisticsAndSingleFlight() {
		check("pagecache.statistics.miss-reason-retention", this.statistics.missReasonRetention,
				!this.statistics.missReasonRetention.isNegative(), "must not be negative");
		positive("pagecache.statistics.fleet-flush-interval", this.statistics.fleetFlushInterval);
		check("pagecache.dashboard.history-interval", this.dashboard.historyInterval,
				this.dashboard.historyInterval.compareTo(Duration.ofSeconds(1)) >= 0
						&& this.dashboard.historyInterval.compareTo(Duration.ofMinutes(5)) <= 0,
				"must be from 1s to 5m");
		positive("pagecache.single-flight.max-wait", this.singleFlight.maxWait);
		check("pagecache.single-flight.lease", this.singleFlight.lease, !this.singleFlight.lease.isNegative(),
				"must not be negative");
	}

	private static boolean isStorableStatus(@Nullable Integer status) {
		return status != null && ((status >= 200 && status < 300) || status == 301 || status == 308 || status == 404
				|| status == 410);
	}

	/**
	 * A name a request can report as its server name (a host name or IPv4 address, or an
	 * IPv6 address in brackets), optionally with a port.
	 */
	private static boolean isHost(@Nullable String host) {
		if (host == null || !host.matches("([^\\s/:@?#\\[\\]]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?")) {
			return false;
		}
		int colon = host.lastIndexOf(':');
		return colon <= host.lastIndexOf(']') || Integer.parseInt(host.substring(colon + 1)) <= 65535;
	}

	private static void positive(String name, Duration value) {
		check(name, value, !value.isNegative() && !value.isZero(), "must be positive");
	}

	private static void check(String name, Object value, boolean valid, String reason) {
		if (!valid) {
			throw new InvalidConfigurationPropertyValueException(name, value, reason);
		}
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable StoreType getStore() {
		return this.store;
	}

	public void setStore(@Nullable StoreType store) {
		this.store = store;
	}

	public Duration getDefaultTtl() {
		return this.defaultTtl;
	}

	public void setDefaultTtl(Duration defaultTtl) {
		this.defaultTtl = defaultTtl;
	}

	public DataSize getMaxEntrySize() {
		return this.maxEntrySize;
	}

	public void setMaxEntrySize(DataSize maxEntrySize) {
		this.maxEntrySize = maxEntrySize;
	}

	public int getCompressionLevel() {
		return this.compressionLevel;
	}

	public void setCompressionLevel(int compressionLevel) {
		this.compressionLevel = compressionLevel;
	}

	public Duration getMaxRenderTime() {
		return this.maxRenderTime;
	}

	public void setMaxRenderTime(Duration maxRenderTime) {
		this.maxRenderTime = maxRenderTime;
	}

	public int getMaxKeyLength() {
		return this.maxKeyLength;
	}

	public void setMaxKeyLength(int maxKeyLength) {
		this.maxKeyLength = maxKeyLength;
	}

	public Set<Integer> getCacheableStatuses() {
		return this.cacheableStatuses;
	}

	public void setCacheableStatuses(Set<Integer> cacheableStatuses) {
		this.cacheableStatuses = cacheableStatuses;
	}

	public List<String> getAllowedHosts() {
		return this.allowedHosts;
	}

	public void setAllowedHosts(List<String> allowedHosts) {
		this.allowedHosts = allowedHosts;
	}

	public List<String> getInterceptorParams() {
		return this.interceptorParams;
	}

	public void setInterceptorParams(List<String> interceptorParams) {
		this.interceptorParams = interceptorParams;
	}

	public Credentials getCredentials() {
		return this.credentials;
	}

	public Filter getFilter() {
		return this.filter;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Statistics getStatistics() {
		return this.statistics;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public SingleFlight getSingleFlight() {
		return this.singleFlight;
	}

	/**
	 * The page stores.
	 */
	public enum StoreType {

		/**
		 * Redis, shared by every instance of the application.
		 */
		REDIS,

		/**
		 * The application's heap, for one instance, development and tests.
		 */
		MEMORY

	}

	/**
	 * What makes a request personal, so that it never reads nor writes the cache.
	 */
	public static class Credentials {

		/**
		 * Request headers that carry credentials, besides Authorization and
		 * Proxy-Authorization.
		 */
		private List<String> headers = new ArrayList<>();

		/**
		 * Cookies that are not credentials (analytics), by name with '*' wildcards; any
		 * other cookie makes a request personal.
		 */
		private List<String> ignoredCookies = new ArrayList<>(
				List.of("_ga", "_ga_*", "_gid", "_gat*", "_gcl_*", "_fbp", "_hj*", "_pk_*", "_clck", "_clsk"));

		public List<String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(List<String> headers) {
			this.headers = headers;
		}

		public List<String> getIgnoredCookies() {
			return this.ignoredCookies;
		}

		public void setIgnoredCookies(List<String> ignoredCookies) {
			this.ignoredCookies = ignoredCookies;
		}

	}

	/**
	 * Where the filter sits.
	 */
	public static class Filter {

		/**
		 * Order of the page cache filter. Defaults to just after Spring Security's filter
		 * chain (spring.security.filter.order + 1).
		 */
		private @Nullable Integer order;

		/**
		 * Whether the filter may run before Spring Security, so hits skip it. Only safe
		 * when access to cached pages depends on nothing but credentials, which bypass
		 * the cache.
		 */
		private boolean beforeSecurity;

		public @Nullable Integer getOrder() {
			return this.order;
		}

		public void setOrder(@Nullable Integer order) {
			this.order = order;
		}

		public boolean isBeforeSecurity() {
			return this.beforeSecurity;
		}

		public void setBeforeSecurity(boolean beforeSecurity) {
			this.beforeSecurity = beforeSecurity;
		}

	}

	/**
	 * The in-memory store.
	 */
	public static class Memory {

		/**
		 * Most pages kept; the least recently used are evicted first.
		 */
		private int maxEntries = 10_000;

		/**
		 * Most memory the pages take.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(64);

		public int getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(int maxEntries) {
			this.maxEntries = maxEntries;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

	}

	/**
	 * The Redis store. The connection uses the application's Redis server and credentials
	 * (spring.data.redis.*) with client settings of its own.
	 */
	public static class Redis {

		/**
		 * Prefix of every key; instances that share it share their pages.
		 */
		private String namespace = "pagecache";

		/**
		 * Longest wait for one Redis command; a request whose lookup takes longer is
		 * served uncached.
		 */
		private Duration timeout = Duration.ofMillis(100);

		/**
		 * Longest wait for a connection to Redis, handshake included.
		 */
		private Duration connectTimeout = Duration.ofMillis(500);

		/**
		 * Longest pause between two attempts to reconnect to Redis.
		 */
		private Duration maxReconnectDelay = Duration.ofSeconds(1);

		/**
		 * Consecutive failures after which Redis is not called for a while.
		 */
		private int circuitBreakerFailures = 3;

		/**
		 * How long Redis is not called once the circuit breaker opened, before one probe.
		 */
		private Duration circuitBreakerOpenDuration = Duration.ofSeconds(1);

		/**
		 * Most pages one route (URL pattern) may have in Redis at a time; a new page of a
		 * full route replaces the least used of a sample of its pages. 0 for no limit.
		 */
		private int maxPagesPerRoute = 10_000;

		private final NearCache nearCache = new NearCache();

		public String getNamespace() {
			return this.namespace;
		}

		public void setNamespace(String namespace) {
			this.namespace = namespace;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getMaxReconnectDelay() {
			return this.maxReconnectDelay;
		}

		public void setMaxReconnectDelay(Duration maxReconnectDelay) {
			this.maxReconnectDelay = maxReconnectDelay;
		}

		public int getCircuitBreakerFailures() {
			return this.circuitBreakerFailures;
		}

		public void setCircuitBreakerFailures(int circuitBreakerFailures) {
			this.circuitBreakerFailures = circuitBreakerFailures;
		}

		public Duration getCircuitBreakerOpenDuration() {
			return this.circuitBreakerOpenDuration;
		}

		public void setCircuitBreakerOpenDuration(Duration circuitBreakerOpenDuration) {
			this.circuitBreakerOpenDuration = circuitBreakerOpenDuration;
		}

		public int getMaxPagesPerRoute() {
			return this.maxPagesPerRoute;
		}

		public void setMaxPagesPerRoute(int maxPagesPerRoute) {
			this.maxPagesPerRoute = maxPagesPerRoute;
		}

		public NearCache getNearCache() {
			return this.nearCache;
		}

	}

	/**
	 * An in-process tier in front of Redis that every instance keeps fresh through Redis
	 * pub/sub.
	 */
	public static class NearCache {

		/**
		 * Whether pages read from Redis are also kept in this instance's memory and
		 * served from there.
		 */
		private boolean enabled;

		/**
		 * Most memory the near cache holds, estimated from the pages' sizes.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(64);

		/**
		 * Longest time a page is served from the near cache, whatever its TTL.
		 */
		private Duration maxAge = Duration.ofMinutes(1);

		/**
		 * How often the near cache renews its registration and checks that it heard every
		 * invalidation.
		 */
		private Duration heartbeatInterval = Duration.ofMillis(200);

		/**
		 * How long a heartbeat keeps the near cache registered: it serves pages only that
		 * long after its last heartbeat came back, and an invalidation waits no longer
		 * for an instance that does not acknowledge it.
		 */
		private Duration registrationTtl = Duration.ofSeconds(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getRegistrationTtl() {
			return this.registrationTtl;
		}

		public void setRegistrationTtl(Duration registrationTtl) {
			this.registrationTtl = registrationTtl;
		}

	}

	/**
	 * The statistics of the actuator endpoint and the meters.
	 */
	public static class Statistics {

		/**
		 * How long the store remembers why a page went (invalidated, expired, evicted);
		 * past it, a miss counts as a first render.
		 */
		private Duration missReasonRetention = Duration.ofHours(1);

		/**
		 * How often each instance adds its statistics to those of the fleet, kept in the
		 * shared Redis.
		 */
		private Duration fleetFlushInterval = Duration.ofSeconds(5);

		public Duration getMissReasonRetention() {
			return this.missReasonRetention;
		}

		public void setMissReasonRetention(Duration missReasonRetention) {
			this.missReasonRetention = missReasonRetention;
		}

		public Duration getFleetFlushInterval() {
			return this.fleetFlushInterval;
		}

		public void setFleetFlushInterval(Duration fleetFlushInterval) {
			this.fleetFlushInterval = fleetFlushInterval;
		}

	}

	/**
	 * The HTML view of the statistics.
	 */
	public static class Dashboard {

		/**
		 * Whether the pagecache actuator endpoint serves an HTML view of its statistics
		 * at /actuator/pagecache/dashboard.
		 */
		private boolean enabled;

		/**
		 * How often the dashboard's chart of the last hour samples this instance's (and
		 * the fleet's) totals, from 1s to 5m.
		 */
		private Duration historyInterval = Duration.ofSeconds(15);

		/**
		 * Roles of the signed-in readers who see the dashboard's purge buttons (when the
		 * endpoint allows writes); empty: every signed-in reader.
		 */
		private Set<String> purgeRoles = new LinkedHashSet<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getHistoryInterval() {
			return this.historyInterval;
		}

		public void setHistoryInterval(Duration historyInterval) {
			this.historyInterval = historyInterval;
		}

		public Set<String> getPurgeRoles() {
			return this.purgeRoles;
		}

		public void setPurgeRoles(Set<String> purgeRoles) {
			this.purgeRoles = purgeRoles;
		}

	}

	/**
	 * Rendering a page once when many requests miss it at the same time.
	 */
	public static class SingleFlight {

		/**
		 * Whether requests that miss a page another request is rendering wait for that
		 * render.
		 */
		private boolean enabled = true;

		/**
		 * Longest a request waits for another request's render before it renders the page
		 * itself.
		 */
		private Duration maxWait = Duration.ofSeconds(3);

		/**
		 * How long the instance that renders a page holds its lease in the store, during
		 * which the other instances sharing the store wait for its page; zero for no
		 * lease.
		 */
		private Duration lease = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = lease;
		}

	}

}
