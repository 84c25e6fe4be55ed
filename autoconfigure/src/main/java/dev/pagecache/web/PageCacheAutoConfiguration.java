package dev.pagecache.web;

import java.time.Clock;
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageCache;
import dev.pagecache.autoconfigure.PageCacheProperties;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.StatisticsListener;
import dev.pagecache.store.StatisticsPageStore;

import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for whole-page caching of Spring MVC applications.
 *
 * @author pagecache
 */
@AutoConfiguration(after = PageCacheRedisAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "pagecache.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PageCacheProperties.class)
@Import({ PageCacheAutoConfiguration.AutoProxyRegistrar.class, RefreshAheadConfiguration.class })
public final class PageCacheAutoConfiguration {

	/**
	 * Default order of Spring Security's filter chain.
	 */
	static final int DEFAULT_SECURITY_FILTER_ORDER = -100;

	private static final String SECURITY_FILTER_CHAIN = "org.springframework.security.web.SecurityFilterChain";

	@Bean
	@ConditionalOnMissingBean
	PageStore pageStore(PageCacheProperties properties, ObjectProvider<StatisticsListener> statisticsListener) {
		if (properties.getStore() == PageCacheProperties.StoreType.REDIS) {
			throw new InvalidConfigurationPropertyValueException("pagecache.store", "redis",
					"The Redis page store needs spring-boot-starter-data-redis (Spring Data Redis and Lettuce) "
							+ "on the class path");
		}
		InMemoryPageStore store = new InMemoryPageStore(properties.getMemory().getMaxEntries(),
				properties.getMemory().getMaxSize().toBytes(), properties.getMaxRenderTime(), Clock.systemUTC());
		reportStatistics(store, statisticsListener, properties);
		return store;
	}

	/**
	 * Let a store report to the statistics, if the application keeps statistics (the
	 * actuator auto-configuration defines the listener).
	 */
	private static void reportStatistics(StatisticsPageStore store,
			ObjectProvider<StatisticsListener> statisticsListener, PageCacheProperties properties) {
		statisticsListener.ifAvailable((available) -> {
			store.setStatisticsListener(available);
			store.setMissReasonRetention(properties.getStatistics().getMissReasonRetention());
		});
	}

	@Bean
	PageRoutes pageRoutes(ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings,
			ObjectProvider<RequestMappingHandlerAdapter> handlerAdapters, PageCacheProperties properties) {
		PageRoutes routes = new PageRoutes(handlerMappings, handlerAdapters, properties.getDefaultTtl());
		routes.setInterceptorParams(properties.getInterceptorParams());
		return routes;
	}

	@Bean
	FormHeaderBinding pageCacheFormHeaderBinding() {
		return new FormHeaderBinding();
	}

	@Bean
	CacheabilityRules pageCacheabilityRules(PageCacheProperties properties) {
		return new CacheabilityRules(properties.getCacheableStatuses(), properties.getMaxEntrySize().toBytes(),
				properties.getCredentials().getHeaders(), properties.getCredentials().getIgnoredCookies(),
				properties.getAllowedHosts());
	}

	@Bean
	PageCacheFilter pageCacheFilter(PageStore store, PageRoutes routes, CacheabilityRules rules,
			PageCacheProperties properties, ObjectProvider<StatisticsListener> statisticsListener,
			ObjectProvider<LocaleResolver> localeResolver, InFlightResponses inFlight,
			ObjectProvider<DemandSampler> demand, ObjectProvider<Refresher> refresher) {
		PageCacheFilter filter = new PageCacheFilter(store, routes, rules, properties.getMaxKeyLength(),
				properties.getMaxRenderTime(), Clock.systemUTC(),
				statisticsListener.getIfAvailable(() -> StatisticsListener.NONE));
		SingletonSupplier<LocaleResolver> resolver = SingletonSupplier.of(localeResolver::getIfUnique);
		filter.setLocaleResolver(resolver);
		filter.setCompressionLevel(properties.getCompressionLevel());
		PageCacheProperties.SingleFlight singleFlight = properties.getSingleFlight();
		if (singleFlight.isEnabled()) {
			filter.setSingleFlight(singleFlight.getMaxWait(), singleFlight.getLease());
		}
		filter.setEdgeHeaders(edgeHeaders(properties, inFlight, resolver));
		demand.ifAvailable(filter::setDemand);
		refresher.ifAvailable(filter::setRefresher);
		filter.setPlacedBeforeSecurity(isSecurityPresent()
				&& properties.getFilter().effectivePlacement() == PageCacheProperties.Placement.BEFORE_SECURITY);
		return filter;
	}

	@Bean
	FilterRegistrationBean<PageCacheFilter> pageCacheFilterRegistration(PageCacheFilter filter,
			PageCacheProperties properties, Environment environment) {
		FilterRegistrationBean<PageCacheFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("pageCacheFilter");
		registration.setOrder(filterOrder(properties, environment));
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		registration.addUrlPatterns("/*");
		return registration;
	}

	@Bean
	WebMvcConfigurer pageCacheWebMvcConfigurer(PageRoutes routes, PageCacheProperties properties) {
		PageCacheInterceptor interceptor = new PageCacheInterceptor(routes,
				properties.getEdge().isEnabled() ? EdgeHeaders.PRIVATE : Revalidation.CACHE_CONTROL);
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor);
			}

		};
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor pageCacheTagsAdvisor() {
		return new DefaultPointcutAdvisor(new CachePageTagsInterceptor.TaggedMethods(), new CachePageTagsInterceptor());
	}

	@Bean
	@ConditionalOnMissingBean
	PageCache pageCache(PageStore store, PageCacheProperties properties, InFlightResponses inFlight) {
		PageCacheProperties.Edge edge = properties.getEdge();
		return edge.isEnabled() ? new DefaultPageCache(store, inFlight, edge.getTimeout())
				: new DefaultPageCache(store);
	}

	/**
	 * This instance's shared responses on their way to the edge, which the filter reports
	 * and invalidations wait for ({@code pagecache.edge.enabled}).
	 */
	@Bean
	InFlightResponses pageCacheInFlightResponses() {
		return new InFlightResponses();
	}

	private static EdgeHeaders edgeHeaders(PageCacheProperties properties, InFlightResponses inFlight,
			Supplier<@Nullable LocaleResolver> localeResolver) {
		PageCacheProperties.Edge edge = properties.getEdge();
		SingletonSupplier<Boolean> localeVaries = SingletonSupplier
			.of(() -> EdgeHeaders.localeVaries(localeResolver.get()));
		return edge.isEnabled() ? new EdgeHeaders(true, edge.getTagHeader(), inFlight, localeVaries::obtain)
				: EdgeHeaders.OFF;
	}

	/**
	 * The order of the filter (in {@code auto} placement, of its registration after
	 * Security): just after Spring Security unless configured, just before it with
	 * {@code before-security} placement; never at or before Security unless the
	 * application says it is safe.
	 */
	static int filterOrder(PageCacheProperties properties, Environment environment) {
		int securityOrder = securityOrder(environment);
		boolean before = properties.getFilter().effectivePlacement() == PageCacheProperties.Placement.BEFORE_SECURITY;
		Integer configured = properties.getFilter().getOrder();
		int order = (configured != null) ? configured : before ? securityOrder - 1 : securityOrder + 1;
		if (isSecurityPresent() && order <= securityOrder && !before) {
			throw new InvalidConfigurationPropertyValueException("pagecache.filter.order", order,
					"The page cache filter must run after Spring Security's (spring.security.filter.order="
							+ securityOrder + ") so that cached pages pass its checks (with "
							+ "pagecache.filter.placement=auto, the hits Security's own rules permit to anonymous "
							+ "requests are served before it anyway). Set pagecache.filter.placement=before-security "
							+ "(formerly pagecache.filter.before-security=true) only if access to cached pages "
							+ "depends on nothing but credentials, which always bypass the cache.");
		}
		return order;
	}

	static int securityOrder(Environment environment) {
		return Binder.get(environment)
			.bind("spring.security.filter.order", Integer.class)
			.orElse(DEFAULT_SECURITY_FILTER_ORDER);
	}

	private static boolean isSecurityPresent() {
		return ClassUtils.isPresent(SECURITY_FILTER_CHAIN, PageCacheAutoConfiguration.class.getClassLoader());
	}

	/**
	 * With Spring Security and {@code pagecache.filter.placement=auto}, a second
	 * registration of the filter, just before Security's chain, answers the requests that
	 * Security's own objects permit to an anonymous request ({@link SecurityEarlyHits}).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = SECURITY_FILTER_CHAIN)
	@ConditionalOnProperty(name = "pagecache.filter.placement", havingValue = "auto", matchIfMissing = true)
	@ConditionalOnBooleanProperty(name = "pagecache.filter.before-security", havingValue = false, matchIfMissing = true)
	static class BeforeSecurityConfiguration {

		@Bean
		SecurityEarlyHits pageCacheEarlyHits(BeanFactory beanFactory, PageCacheProperties properties) {
			return new SecurityEarlyHits(beanFactory, properties.getFilter().getEarly().getTrustedFilters());
		}

		@Bean
		FilterRegistrationBean<Filter> pageCacheBeforeSecurityRegistration(PageCacheFilter filter,
				SecurityEarlyHits earlyHits, Environment environment) {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
					filter.beforeSecurity(earlyHits));
			registration.setName("pageCacheBeforeSecurityFilter");
			registration.setOrder(securityOrder(environment) - 1);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			registration.addUrlPatterns("/*");
			return registration;
		}

	}

	/**
	 * The refreshes of refresh-ahead, which the {@code pagecache} actuator endpoint
	 * shows. Defined whenever refresh-ahead is on
	 * ({@code pagecache.refresh-ahead.enabled}, the default).
	 */
	@FunctionalInterface
	public interface RefreshAheadStatus {

		/**
		 * Read this instance's figures now.
		 * @return the figures
		 */
		Snapshot snapshot();

		/**
		 * This instance's refreshes since start-up. A refresh is no reader: the page
		 * statistics' hits and misses count readers only (their stores count every page
		 * stored, refreshes' included).
		 *
		 * @param refreshed pages a refresh rendered and the store took
		 * @param requestedAfter refreshes whose page a reader asked for once the refresh
		 * had started: each is a render the refresh saved that reader (counted from the
		 * demand the instance samples, so approximate under heavy load)
		 * @param failed refreshes answered with an error status, or not at all
		 * @param skipped pages not refreshed: dropped from a full queue, or whose key
		 * could not be made into a request
		 * @param warmed pages queued to warm the cache after a clear or at start-up
		 * @param queued pages waiting to be refreshed now
		 * @param share the share of the processors refreshes may use now (lowered while
		 * the machine is busy)
		 */
		record Snapshot(long refreshed, long requestedAfter, long failed, long skipped, long warmed, int queued,
				double share) {

		}

	}

	/**
	 * Makes sure an auto-proxy creator exists, so that {@code @CachePage} tags are
	 * evaluated around the handler methods that declare them.
	 */
	static final class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

		@Override
		public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
			AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
			AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
		}

	}

}
