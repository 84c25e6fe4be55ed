package dev.pagecache.web;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriUtils;

/**
 * A request that shows the handler only the query parameters that are part of the page's key, so that a
 * stored render is a function of its key (DESIGN S2).
 *
 * @author pagecache
 */
final class KeyedParametersRequest extends HttpServletRequestWrapper {

	private final Map<String, String[]> parameters;

	private final @Nullable String queryString;

	private KeyedParametersRequest(HttpServletRequest request, PageRoute route) {
		super(request);
		Map<String, String[]> parameters = new LinkedHashMap<>();
		StringBuilder query = new StringBuilder();
		for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
			if (route.isKeyed(parameter.getKey())) {
				parameters.put(parameter.getKey(), parameter.getValue());
				for (String value : parameter.getValue()) {
					query.append(query.isEmpty() ? "" : "&")
						.append(UriUtils.encodeQueryParam(parameter.getKey(), StandardCharsets.UTF_8))
						.append('=')
						.append(UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8));
				}
			}
		}
		this.parameters = Collections.unmodifiableMap(parameters);
		this.queryString = query.isEmpty() ? null : query.toString();
	}

	static HttpServletRequest wrap(HttpServletRequest request, PageRoute route) {
		if (request.getQueryString() == null || route.allParams()) {
			return request;
		}
		return new KeyedParametersRequest(request, route);
	}

	@Override
	public @Nullable String getParameter(String name) {
		String[] values = this.parameters.get(name);
		return (values != null && values.length > 0) ? values[0] : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		return this.parameters;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(this.parameters.keySet());
	}

	@Override
	public String @Nullable [] getParameterValues(String name) {
		return this.parameters.get(name);
	}

	@Override
	public @Nullable String getQueryString() {
		return this.queryString;
	}

}
