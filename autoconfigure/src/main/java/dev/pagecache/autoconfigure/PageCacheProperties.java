package dev.pagecache.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
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

	private final RefreshAhead refreshAhead = new RefreshAhead();

	private final Edge edge = new Edge();

	/**
	 * Check the bound values, failing start-up with a message that names the offending
	 * property.
	 */
	@Override
	public void afterPropertiesSet() {
		checkPages();
		checkRedis();
		checkStatisticsAndSingleFlight();
		this.filter.validate();
		this.edge.validate();
		this.refreshAhead.validate();
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
		Integer shards = this.redis.shards;
		check("pagecache.redis.shards", shards, shards == null || shards >= 1 && shards <= 256,
				"must be between 1 and 256");
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

	public RefreshAhead getRefreshAhead() {
		return this.refreshAhead;
	}

	public Edge getEdge() {
		return this.edge;
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
		 * Where the page cache filter sits relative to Spring Security: auto (hits that
		 * Security's own rules permit to an anonymous request are served before its
		 * filter chain, everything else after it), after-security, or before-security
		 * (every hit skips Security: only safe when access to cached pages depends on
		 * nothing but credentials). Without Spring Security there is one filter.
		 */
		private Placement placement = Placement.AUTO;

		/**
		 * Order of the page cache filter (in auto placement, of its registration after
		 * Security). Defaults to just after Spring Security's filter chain
		 * (spring.security.filter.order + 1), or just before it (- 1) with
		 * before-security placement.
		 */
		private @Nullable Integer order;

		/**
		 * Whether the filter may run before Spring Security, so hits skip it. Only safe
		 * when access to cached pages depends on nothing but credentials, which bypass
		 * the cache. Deprecated: pagecache.filter.placement=before-security.
		 */
		private boolean beforeSecurity;

		/**
		 * Hits served before Spring Security in auto placement.
		 */
		private final Early early = new Early();

		public Placement getPlacement() {
			return this.placement;
		}

		public void setPlacement(Placement placement) {
			this.placement = placement;
		}

		/**
		 * The placement in effect: {@code before-security} also when the deprecated
		 * {@code before-security} flag is set.
		 * @return the placement
		 */
		public Placement effectivePlacement() {
			return this.beforeSecurity ? Placement.BEFORE_SECURITY : this.placement;
		}

		public @Nullable Integer getOrder() {
			return this.order;
		}

		public void setOrder(@Nullable Integer order) {
			this.order = order;
		}

		@Deprecated
		@DeprecatedConfigurationProperty(replacement = "pagecache.filter.placement",
				reason = "placement=before-security says the same; placement=auto serves safe hits before Security")
		public boolean isBeforeSecurity() {
			return this.beforeSecurity;
		}

		@Deprecated
		public void setBeforeSecurity(boolean beforeSecurity) {
			this.beforeSecurity = beforeSecurity;
		}

		public Early getEarly() {
			return this.early;
		}

		void validate() {
			check("pagecache.filter.before-security", this.beforeSecurity,
					!this.beforeSecurity || this.placement != Placement.AFTER_SECURITY,
					"contradicts pagecache.filter.placement=after-security");
			check("pagecache.filter.early.trusted-filters", this.early.trustedFilters,
					this.early.trustedFilters.stream()
						.allMatch((name) -> name != null
								&& name.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")),
					"must hold fully qualified class names");
		}

	}

	/**
	 * Where the page cache filter sits relative to Spring Security's filter chain.
	 */
	public enum Placement {

		/**
		 * Before Security for hits its own rules permit to an anonymous request (and for
		 * the misses of such requests, so stored pages carry Security's headers), after
		 * it for everything else.
		 */
		AUTO,

		/** After Security: every hit passes its whole filter chain. */
		AFTER_SECURITY,

		/** Before Security: every hit skips it; misses still pass it. */
		BEFORE_SECURITY

	}

	/**
	 * Hits served before Spring Security ({@code pagecache.filter.placement=auto}).
	 */
	public static class Early {

		/**
		 * Classes of filters in a Spring Security filter chain, besides Security's own,
		 * that do nothing to an anonymous GET of a cached page: a chain holding one not
		 * listed here keeps its routes after Security.
		 */
		private List<String> trustedFilters = new ArrayList<>();

		public List<String> getTrustedFilters() {
			return this.trustedFilters;
		}

		public void setTrustedFilters(List<String> trustedFilters) {
			this.trustedFilters = trustedFilters;
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
		 * Split into shards, each shard holds its share, rounded up.
		 */
		private int maxPagesPerRoute = 10_000;

		/**
		 * Shards the namespace is split into, each with a hash tag of its own, so that on
		 * Redis Cluster pages spread over every primary: 16 on Redis Cluster and 1
		 * elsewhere when not set. Instances that share a namespace must use the same: an
		 * instance whose number differs from a running instance's fails to start.
		 */
		private @Nullable Integer shards;

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

		public @Nullable Integer getShards() {
			return this.shards;
		}

		public void setShards(@Nullable Integer shards) {
			this.shards = shards;
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
		 * served from there. Each invalidation then waits until every live instance has
		 * applied it (at most registration-ttl for one that does not answer), and each
		 * instance runs a heartbeat script every heartbeat-interval.
		 */
		private boolean enabled = true;

		/**
		 * Most memory the near cache holds, estimated from the pages' sizes. Default:
		 * 64MB or a sixteenth of the maximum heap, whichever is smaller.
		 */
		private DataSize maxSize = defaultMaxSize(Runtime.getRuntime().maxMemory());

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

		/**
		 * The near cache's default size, bounded for an application that adds the starter
		 * without sizing it: 64 MB or a sixteenth of the maximum heap, whichever is
		 * smaller.
		 * @param maxHeap the maximum heap in bytes ({@link Runtime#maxMemory()})
		 * @return the default size
		 */
		static DataSize defaultMaxSize(long maxHeap) {
			return DataSize.ofBytes(Math.max(1, Math.min(DataSize.ofMegabytes(64).toBytes(), maxHeap / 16)));
		}

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

	/**
	 * Rendering hot pages again before readers ask: which pages are hot, counted by every
	 * instance into a hot list in the store.
	 */
	public static class RefreshAhead {

		/**
		 * Whether this instance counts the pages it serves into the store's hot list, and
		 * invalidations hand the hot pages they drop over to be rendered again.
		 */
		private boolean enabled = true;

		/**
		 * Requests within about a half-life (the hot list's decayed score) from which a
		 * page is hot.
		 */
		private int minRequests = 3;

		/**
		 * How long until a request counts half in the hot list.
		 */
		private Duration halfLife = Duration.ofMinutes(10);

		/**
		 * How often this instance adds the requests it counted to the hot list.
		 */
		private Duration flushInterval = Duration.ofSeconds(1);

		/**
		 * Most pages the hot list keeps per namespace; the coldest go first.
		 */
		private int maxHotPages = 1000;

		/**
		 * Keys one stripe of the demand buffer holds between two drains (every 100 ms);
		 * requests past it are not counted.
		 */
		private int demandBuffer = 256;

		/**
		 * Most hot pages one invalidation hands over, the hottest first.
		 */
		private int maxPerInvalidation = 32;

		/**
		 * Largest share of this instance's processors that refreshes may take from live
		 * traffic, in (0, 1].
		 */
		private double maxShare = 0.2;

		/**
		 * System CPU load, in (0, 1], above which refreshes back off (their share halves
		 * and no page is reserved for them); 1 never backs off for load.
		 */
		private double maxCpuLoad = 0.9;

		/**
		 * Hot pages of each invalidation reserved for their refresh: readers who miss
		 * them before the refresh arrives wait for it rather than render the page
		 * themselves.
		 */
		private int reserve = 2;

		/**
		 * How long a reservation waits for its refresh to start before its readers render
		 * the page themselves.
		 */
		private Duration reservationTimeout = Duration.ofMillis(200);

		/**
		 * Most pages waiting to be refreshed; the coldest go first.
		 */
		private int maxQueue = 1000;

		/**
		 * Whether a clear of the cache renders the pages of the hot list again, hottest
		 * first (at most max-queue), which a clear leaves as it was.
		 */
		private boolean warmOnClear = true;

		/**
		 * Whether the application, once ready, renders the pages of the hot list that the
		 * instances before it left in the store, hottest first (pages still stored cost a
		 * lookup each).
		 */
		private boolean warmOnStart = true;

		void validate() {
			check("pagecache.refresh-ahead.min-requests", this.minRequests, this.minRequests >= 1,
					"must be at least 1");
			check("pagecache.refresh-ahead.half-life", this.halfLife,
					this.halfLife.compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s");
			check("pagecache.refresh-ahead.flush-interval", this.flushInterval,
					this.flushInterval.compareTo(Duration.ofMillis(100)) >= 0
							&& this.flushInterval.compareTo(Duration.ofMinutes(1)) <= 0,
					"must be from 100ms to 1m");
			check("pagecache.refresh-ahead.max-hot-pages", this.maxHotPages,
					this.maxHotPages >= 1 && this.maxHotPages <= 100_000, "must be from 1 to 100000");
			check("pagecache.refresh-ahead.demand-buffer", this.demandBuffer,
					this.demandBuffer >= 16 && this.demandBuffer <= 65_536, "must be from 16 to 65536");
			check("pagecache.refresh-ahead.max-per-invalidation", this.maxPerInvalidation,
					this.maxPerInvalidation >= 0 && this.maxPerInvalidation <= 10_000, "must be from 0 to 10000");
			check("pagecache.refresh-ahead.max-share", this.maxShare, this.maxShare > 0 && this.maxShare <= 1,
					"must be more than 0 and at most 1");
			check("pagecache.refresh-ahead.max-cpu-load", this.maxCpuLoad, this.maxCpuLoad > 0 && this.maxCpuLoad <= 1,
					"must be more than 0 and at most 1");
			check("pagecache.refresh-ahead.reserve", this.reserve,
					this.reserve >= 0 && this.reserve <= this.maxPerInvalidation,
					"must be from 0 to pagecache.refresh-ahead.max-per-invalidation");
			check("pagecache.refresh-ahead.reservation-timeout", this.reservationTimeout,
					this.reservationTimeout.toMillis() >= 1
							&& this.reservationTimeout.compareTo(Duration.ofSeconds(10)) <= 0,
					"must be from 1ms to 10s");
			check("pagecache.refresh-ahead.max-queue", this.maxQueue, this.maxQueue >= 1 && this.maxQueue <= 100_000,
					"must be from 1 to 100000");
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMinRequests() {
			return this.minRequests;
		}

		public void setMinRequests(int minRequests) {
			this.minRequests = minRequests;
		}

		public Duration getHalfLife() {
			return this.halfLife;
		}

		public void setHalfLife(Duration halfLife) {
			this.halfLife = halfLife;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

		public int getMaxHotPages() {
			return this.maxHotPages;
		}

		public void setMaxHotPages(int maxHotPages) {
			this.maxHotPages = maxHotPages;
		}

		public int getDemandBuffer() {
			return this.demandBuffer;
		}

		public void setDemandBuffer(int demandBuffer) {
			this.demandBuffer = demandBuffer;
		}

		public int getMaxPerInvalidation() {
			return this.maxPerInvalidation;
		}

		public void setMaxPerInvalidation(int maxPerInvalidation) {
			this.maxPerInvalidation = maxPerInvalidation;
		}

		public double getMaxShare() {
			return this.maxShare;
		}

		public void setMaxShare(double maxShare) {
			this.maxShare = maxShare;
		}

		public double getMaxCpuLoad() {
			return this.maxCpuLoad;
		}

		public void setMaxCpuLoad(double maxCpuLoad) {
			this.maxCpuLoad = maxCpuLoad;
		}

		public int getReserve() {
			return this.reserve;
		}

		public void setReserve(int reserve) {
			this.reserve = reserve;
		}

		public Duration getReservationTimeout() {
			return this.reservationTimeout;
		}

		public void setReservationTimeout(Duration reservationTimeout) {
			this.reservationTimeout = reservationTimeout;
		}

		public int getMaxQueue() {
			return this.maxQueue;
		}

		public void setMaxQueue(int maxQueue) {
			this.maxQueue = maxQueue;
		}

		public boolean isWarmOnClear() {
			return this.warmOnClear;
		}

		public void setWarmOnClear(boolean warmOnClear) {
			this.warmOnClear = warmOnClear;
		}

		public boolean isWarmOnStart() {
			return this.warmOnStart;
		}

		public void setWarmOnStart(boolean warmOnStart) {
			this.warmOnStart = warmOnStart;
		}

	}

	/**
	 * Shared caches in front of the application (Varnish, nginx, CDNs): the headers that
	 * let them keep stored pages, and the purges that drop them.
	 */
	public static class Edge {

		/**
		 * Whether stored pages are marked for shared caches (Cache-Control: public,
		 * s-maxage=<remaining TTL>), carry a tag header, and are purged at the edge when
		 * they are invalidated; every other response of a @CachePage route is private.
		 */
		private boolean enabled;

		/**
		 * Header that carries a stored page's tag tokens to the edge: xkey (Varnish's
		 * xkey module), surrogate-key (Fastly), cache-tag (Cloudflare) or none.
		 */
		private TagHeader tagHeader = TagHeader.XKEY;

		/**
		 * Delay after which every purge is sent once more, for responses that were in
		 * flight when the first one landed; zero for none.
		 */
		private Duration repurgeDelay = Duration.ofSeconds(2);

		/**
		 * Longest wait for one purge request to one edge endpoint, and for this
		 * instance's shared responses already on their way when an invalidation starts
		 * (they reach the edge before its purge).
		 */
		private Duration timeout = Duration.ofSeconds(2);

		/**
		 * First delay before a failed purge is retried from the queue; it doubles with
		 * each failure up to the max-retry-interval.
		 */
		private Duration retryInterval = Duration.ofSeconds(1);

		/**
		 * Longest delay between two retries of a failed purge.
		 */
		private Duration maxRetryInterval = Duration.ofMinutes(1);

		private final Varnish varnish = new Varnish();

		private final Nginx nginx = new Nginx();

		private final Fastly fastly = new Fastly();

		private final Cloudflare cloudflare = new Cloudflare();

		void validate() {
			check("pagecache.edge.repurge-delay", this.repurgeDelay, !this.repurgeDelay.isNegative(),
					"must not be negative");
			positive("pagecache.edge.timeout", this.timeout);
			positive("pagecache.edge.retry-interval", this.retryInterval);
			check("pagecache.edge.max-retry-interval", this.maxRetryInterval,
					this.maxRetryInterval.compareTo(this.retryInterval) >= 0,
					"must be at least pagecache.edge.retry-interval");
			for (String endpoint : this.varnish.endpoints) {
				baseUrl("pagecache.edge.varnish.endpoints", endpoint, "http://127.0.0.1:6081");
			}
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
				siteUrl("pagecache.edge.cloudflare.site-url", this.cloudflare.siteUrl,
						"pagecache.edge.cloudflare.enabled");
				int max = this.cloudflare.maxItemsPerRequest;
				check("pagecache.edge.cloudflare.max-items-per-request", max,
						max >= 1 && max <= Cloudflare.MAX_ITEMS_PER_REQUEST, "must be between 1 and "
								+ Cloudflare.MAX_ITEMS_PER_REQUEST + ", Cloudflare's documented limit");
			}
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public TagHeader getTagHeader() {
			return this.tagHeader;
		}

		public void setTagHeader(TagHeader tagHeader) {
			this.tagHeader = tagHeader;
		}

		public Duration getRepurgeDelay() {
			return this.repurgeDelay;
		}

		public void setRepurgeDelay(Duration repurgeDelay) {
			this.repurgeDelay = repurgeDelay;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public Duration getMaxRetryInterval() {
			return this.maxRetryInterval;
		}

		public void setMaxRetryInterval(Duration maxRetryInterval) {
			this.maxRetryInterval = maxRetryInterval;
		}

		public Varnish getVarnish() {
			return this.varnish;
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

		/**
		 * Varnish in front of the application, with the shipped
		 * edge/varnish/pagecache.vcl.
		 */
		public static class Varnish {

			/**
			 * Base URLs of the Varnish servers to purge, such as http://127.0.0.1:6081;
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
		 * nginx's proxy_cache in front of the application, with the shipped
		 * edge/nginx/pagecache.conf and Debian's libnginx-mod-http-cache-purge.
		 */
		public static class Nginx {

			/**
			 * Base URLs of the nginx servers to purge by URL, such as
			 * http://127.0.0.1:8000; each gets every purge.
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
			 * Whether purges mark pages stale instead of removing them; a service that
			 * serves stale content (stale-while-revalidate, stale-if-error) may then
			 * serve a purged page once more.
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

			static final int MAX_ITEMS_PER_REQUEST = 100;

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
			 * Most tags or files in one purge request, at most Cloudflare's documented
			 * 100.
			 */
			private int maxItemsPerRequest = MAX_ITEMS_PER_REQUEST;

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

	/**
	 * The header that carries a page's tag tokens to a tag-capable edge, with the limit
	 * that edge documents for it.
	 */
	public enum TagHeader {

		/**
		 * Varnish's xkey module: tokens separated by spaces, in one header line of at
		 * most http_resp_hdr_len (8 KB by default).
		 */
		XKEY("xkey", " ", 8192),

		/**
		 * Fastly: keys separated by spaces, a header of at most 16 KB.
		 */
		SURROGATE_KEY("Surrogate-Key", " ", 16384),

		/**
		 * Cloudflare: tags separated by commas, at most 16 KB of Cache-Tag in all.
		 */
		CACHE_TAG("Cache-Tag", ",", 16384),

		/**
		 * No tag header: every page is purged by URL.
		 */
		NONE("", "", 0);

		private final String headerName;

		private final String separator;

		private final int maxLineLength;

		TagHeader(String headerName, String separator, int maxLineLength) {
			this.headerName = headerName;
			this.separator = separator;
			this.maxLineLength = maxLineLength;
		}

		/**
		 * The header's name.
		 * @return the name, empty for {@link #NONE}
		 */
		public String headerName() {
			return this.headerName;
		}

		/**
		 * What separates two tokens in the header's value.
		 * @return the separator
		 */
		public String separator() {
			return this.separator;
		}

		/**
		 * The longest value the edge accepts: its documented limit, less the header's
		 * name, {@code ": "} and the line end where the limit counts the whole line.
		 * @return the length in bytes, zero for {@link #NONE}
		 */
		public int maxValueLength() {
			return (this == XKEY) ? this.maxLineLength - this.headerName.length() - 4 : this.maxLineLength;
		}

	}

}
