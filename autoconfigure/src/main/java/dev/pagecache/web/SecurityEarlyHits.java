package dev.pagecache.web;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ObservationAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.filter.CompositeFilter;
import org.springframework.web.filter.ServletRequestPathFilter;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Decides, with Spring Security's own objects, whether a request for a cached page may be
 * answered before Security's filter chain ({@code pagecache.filter.placement=auto}).
 * <p>
 * <b>Why a request it permits gets what Security would give it.</b> At start-up it takes
 * the application's {@link FilterChainProxy} (the {@code springSecurityFilterChain} bean,
 * as Security's configuration builds it: a {@code DebugFilter} or any other wrapper makes
 * nothing provable) and classifies each {@link SecurityFilterChain}: a chain is
 * <em>provable</em> when each of its filters is one of Security's own whose only effect
 * on a {@code GET} or {@code HEAD} without credentials (no {@code Authorization}, no
 * cookie: such requests never reach this policy) and without {@code Origin} is nothing,
 * headers, or answering the request itself ({@link #SECURITY_FILTERS}, exact classes, no
 * subclasses), or a class the application lists in
 * {@code pagecache.filter.early.trusted-filters}; and when it holds exactly one
 * {@link AuthorizationFilter} and one {@link AnonymousAuthenticationFilter}. Per request,
 * it permits only when all of these hold:
 * <ol>
 * <li>the request has no {@code Origin} header (CORS answers depend on it);</li>
 * <li>the proxy's own {@link HttpFirewall} (read from the proxy, where a
 * {@code WebSecurityCustomizer} may have set it) accepts the request, its header names
 * and values and its parameters;</li>
 * <li>the first chain that {@link SecurityFilterChain#matches matches} the firewalled
 * request, as the proxy picks it, is provable;</li>
 * <li>that chain's {@link AuthorizationFilter#getAuthorizationManager() authorization
 * manager} grants the firewalled request to the anonymous {@link Authentication} its
 * {@link AnonymousAuthenticationFilter} would create: the very call the filter makes, so
 * rules on paths, methods, parameters that are not part of the key, headers, addresses or
 * time are decided as the chain would decide them at that moment (when Security observes
 * authorizations, the manager its {@link ObservationAuthorizationManager} wraps decides,
 * without an observation).</li>
 * </ol>
 * A page served before Security must also have been rendered before it (the filter checks
 * its mark), so it carries the headers Security's {@code HeaderWriterFilter} wrote. Any
 * exception, any unknown filter, any doubt: not permitted, and the request passes
 * Security, whose answer stands. This never re-implements a rule: what cannot be decided
 * by Security's own objects stays after Security.
 *
 * @author pagecache
 */
final class SecurityEarlyHits implements EarlyHitPolicy, SmartInitializingSingleton {

	/**
	 * Security's filters that do nothing to an anonymous {@code GET} of a cached page
	 * without {@code Origin} but write headers, or that answer such a request themselves
	 * (then its page is never stored).
	 */
	static final Set<String> SECURITY_FILTERS = Set.of(
			"org.springframework.security.web.session.DisableEncodeUrlFilter",
			"org.springframework.security.web.context.request.async.WebAsyncManagerIntegrationFilter",
			"org.springframework.security.web.context.SecurityContextHolderFilter",
			"org.springframework.security.web.header.HeaderWriterFilter", "org.springframework.web.filter.CorsFilter",
			"org.springframework.security.web.csrf.CsrfFilter",
			"org.springframework.security.web.authentication.logout.LogoutFilter",
			"org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter",
			"org.springframework.security.web.authentication.ui.DefaultResourcesFilter",
			"org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter",
			"org.springframework.security.web.authentication.ui.DefaultLogoutPageGeneratingFilter",
			"org.springframework.security.web.authentication.www.BasicAuthenticationFilter",
			"org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationFilter",
			"org.springframework.security.web.savedrequest.RequestCacheAwareFilter",
			"org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter",
			"org.springframework.security.web.authentication.AnonymousAuthenticationFilter",
			"org.springframework.security.web.session.SessionManagementFilter",
			"org.springframework.security.web.access.ExceptionTranslationFilter",
			"org.springframework.security.web.transport.HttpsRedirectFilter",
			"org.springframework.security.web.access.intercept.AuthorizationFilter");

	private static final String COMPOSITE_PROXY = "org.springframework.security.config.annotation.web.configuration."
			+ "WebSecurityConfiguration$CompositeFilterChainProxy";

	private static final String BEAN_NAME = "springSecurityFilterChain";

	private static final Log logger = LogFactory.getLog(SecurityEarlyHits.class);

	private final BeanFactory beanFactory;

	private final Set<String> trustedFilters;

	private volatile @Nullable Decision decision;

	/**
	 * Create a policy that permits nothing until the application's singletons exist.
	 * @param beanFactory where the {@code springSecurityFilterChain} bean is
	 * @param trustedFilters class names of filters the application vouches for
	 */
	SecurityEarlyHits(BeanFactory beanFactory, Collection<String> trustedFilters) {
		this.beanFactory = beanFactory;
		this.trustedFilters = Set.copyOf(trustedFilters);
	}

	@Override
	public void afterSingletonsInstantiated() {
		Object bean = this.beanFactory.containsBean(BEAN_NAME) ? this.beanFactory.getBean(BEAN_NAME) : null;
		FilterChainProxy proxy = proxyOf(bean);
		HttpFirewall firewall = (proxy != null) ? firewallOf(proxy) : null;
		if (bean == null) {
			logger.debug("No " + BEAN_NAME + " bean: every cached page passes the page cache after Security's order");
			return;
		}
		if (proxy == null || firewall == null) {
			logger.warn("Every cached page passes Spring Security's filter chain: its " + BEAN_NAME + " ("
					+ bean.getClass().getName()
					+ ") is not a FilterChainProxy whose firewall can be read (pagecache.filter.placement=auto)");
			return;
		}
		List<Chain> chains = new ArrayList<>();
		for (SecurityFilterChain chain : proxy.getFilterChains()) {
			chains.add(classify(chain));
		}
		this.decision = new Decision(firewall, List.copyOf(chains));
	}

	@Override
	public boolean permits(HttpServletRequest request) {
		Decision decision = this.decision;
		if (decision == null || request.getHeader(HttpHeaders.ORIGIN) != null) {
			return false;
		}
		HttpServletRequest firewalled = null;
		boolean parsedHere = false;
		try {
			firewalled = decision.firewall().getFirewalledRequest(request);
			readThrough(firewalled);
			// parsed once for every matcher, as Security's ServletRequestPathFilter does
			if (!ServletRequestPathUtils.hasParsedRequestPath(firewalled)) {
				ServletRequestPathUtils.parseAndCache(firewalled);
				parsedHere = true;
			}
			for (Chain chain : decision.chains()) {
				if (chain.chain().matches(firewalled)) {
					return chain.isGranted(firewalled);
				}
			}
			return false;
		}
		catch (RuntimeException ex) {
			return false;
		}
		finally {
			if (parsedHere) {
				ServletRequestPathUtils.clearParsedRequestPath(firewalled);
			}
		}
	}

	/**
	 * Read the header names and values and the parameters of a firewalled request, which
	 * a strict firewall checks as they are read.
	 */
	private static void readThrough(HttpServletRequest firewalled) {
		Enumeration<String> names = firewalled.getHeaderNames();
		while (names.hasMoreElements()) {
			Enumeration<String> values = firewalled.getHeaders(names.nextElement());
			while (values.hasMoreElements()) {
				values.nextElement();
			}
		}
		firewalled.getParameterMap();
	}

	private Chain classify(SecurityFilterChain chain) {
		Set<String> unproven = new LinkedHashSet<>();
		List<AuthorizationFilter> authorization = new ArrayList<>();
		List<AnonymousAuthenticationFilter> anonymous = new ArrayList<>();
		for (Filter filter : chain.getFilters()) {
			String name = filter.getClass().getName();
			if (!SECURITY_FILTERS.contains(name) && !this.trustedFilters.contains(name)) {
				unproven.add(name);
			}
			if (filter.getClass() == AuthorizationFilter.class) {
				authorization.add((AuthorizationFilter) filter);
			}
			if (filter.getClass() == AnonymousAuthenticationFilter.class) {
				anonymous.add((AnonymousAuthenticationFilter) filter);
			}
		}
		if (authorization.size() != 1 || anonymous.size() != 1) {
			unproven.add("exactly one AuthorizationFilter and one AnonymousAuthenticationFilter expected");
		}
		Authentication token = unproven.isEmpty() ? anonymousOf(anonymous.get(0)) : null;
		if (token == null) {
			logger.info("Cached pages of " + chain + " pass Spring Security's filter chain first: it holds "
					+ (unproven.isEmpty() ? "an AnonymousAuthenticationFilter without authorities" : unproven)
					+ "; list filters that do nothing to anonymous GETs in pagecache.filter.early.trusted-filters");
			return new Chain(chain, null, null);
		}
		return new Chain(chain, decidingManager(authorization.get(0).getAuthorizationManager()), token);
	}

	/**
	 * The manager that decides: the one an {@link ObservationAuthorizationManager} wraps
	 * when Security observes authorizations. Its decision is the wrapper's; the
	 * observation is not made for an early hit, as none of the chain's are.
	 */
	@SuppressWarnings("unchecked")
	private static AuthorizationManager<HttpServletRequest> decidingManager(
			AuthorizationManager<HttpServletRequest> manager) {
		if (manager instanceof ObservationAuthorizationManager<?> observed
				&& read(observed, "delegate") instanceof AuthorizationManager<?> delegate) {
			return (AuthorizationManager<HttpServletRequest>) delegate;
		}
		return manager;
	}

	private static @Nullable Authentication anonymousOf(AnonymousAuthenticationFilter filter) {
		try {
			return new AnonymousAuthenticationToken("pagecache", filter.getPrincipal(), filter.getAuthorities());
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The proxy itself, or the one inside the composite Security's configuration makes of
	 * it and a {@link ServletRequestPathFilter}; {@code null} for anything else.
	 */
	private static @Nullable FilterChainProxy proxyOf(@Nullable Object bean) {
		if (bean == null) {
			return null;
		}
		if (bean.getClass() == FilterChainProxy.class) {
			return (FilterChainProxy) bean;
		}
		if (!bean.getClass().getName().equals(COMPOSITE_PROXY)) {
			return null;
		}
		Object inner = read(bean, "springSecurityFilterChain");
		Object delegate = read(bean, "doFilterDelegate");
		if (inner == null || inner.getClass() != FilterChainProxy.class || delegate == null
				|| delegate.getClass() != CompositeFilter.class
				|| !(read(delegate, "filters") instanceof List<?> filters)) {
			return null;
		}
		for (Object filter : filters) {
			if (filter != inner && (filter == null || filter.getClass() != ServletRequestPathFilter.class)) {
				return null;
			}
		}
		return (FilterChainProxy) inner;
	}

	private static @Nullable HttpFirewall firewallOf(FilterChainProxy proxy) {
		return (read(proxy, "firewall") instanceof HttpFirewall firewall) ? firewall : null;
	}

	private static @Nullable Object read(Object target, String name) {
		try {
			Field field = ReflectionUtils.findField(target.getClass(), name);
			if (field == null) {
				return null;
			}
			ReflectionUtils.makeAccessible(field);
			return field.get(target);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private record Decision(HttpFirewall firewall, List<Chain> chains) {
	}

	/**
	 * A chain, with what decides for it if it is provable.
	 */
	private record Chain(SecurityFilterChain chain, @Nullable AuthorizationManager<HttpServletRequest> manager,
			@Nullable Authentication anonymous) {

		boolean isGranted(HttpServletRequest request) {
			AuthorizationManager<HttpServletRequest> manager = this.manager;
			Authentication anonymous = this.anonymous;
			if (manager == null || anonymous == null) {
				return false;
			}
			AuthorizationResult result = manager.authorize(() -> anonymous, request);
			return result != null && result.isGranted();
		}

	}

}
