package dev.pagecache.web;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The hosts whose requests may use the cache ({@code pagecache.allowed-hosts}). Scheme,
 * host and port are part of every key, and a client may send any {@code Host}: without a
 * list, each value it makes up is a page of its own. A request is allowed when its server
 * name (as the request reports it, after forwarded headers were applied) is listed, in
 * any case, and its port is the scheme's default port, the port the server received it
 * on, or a port listed with the host ({@code example.com:8443}): the port is in the key
 * too, and 65,535 ports would be as many copies of each page.
 *
 * @author pagecache
 */
final class AllowedHosts {

	/** Any host: no list. */
	static final AllowedHosts ANY = new AllowedHosts(Map.of());

	private final Map<String, Set<Integer>> portsByHost;

	private AllowedHosts(Map<String, Set<Integer>> portsByHost) {
		this.portsByHost = portsByHost;
	}

	/**
	 * The allowed hosts.
	 * @param entries host names, IPv6 addresses in brackets, each optionally with a port
	 * ({@code example.com}, {@code example.com:8443}, {@code [::1]}); none for any host
	 * @return the allowed hosts
	 */
	static AllowedHosts of(Collection<String> entries) {
		Map<String, Set<Integer>> portsByHost = new HashMap<>();
		for (String entry : entries) {
			String lower = entry.toLowerCase(Locale.ROOT);
			int colon = lower.lastIndexOf(':');
			boolean hasPort = colon > lower.lastIndexOf(']');
			String host = hasPort ? lower.substring(0, colon) : lower;
			Set<Integer> ports = portsByHost.computeIfAbsent(host, (name) -> new HashSet<>());
			if (hasPort) {
				ports.add(Integer.parseInt(lower.substring(colon + 1)));
			}
		}
		Map<String, Set<Integer>> frozen = new HashMap<>();
		portsByHost.forEach((host, ports) -> frozen.put(host, Set.copyOf(ports)));
		return new AllowedHosts(Map.copyOf(frozen));
	}

	/**
	 * Why a request's host may not use the cache, or {@code null} when it may.
	 * @param request the request
	 * @return the reason, or {@code null}
	 */
	@Nullable String refusal(HttpServletRequest request) {
		if (this.portsByHost.isEmpty()) {
			return null;
		}
		// toLowerCase copies nothing when the name is lower case already, as it nearly
		// always is
		Set<Integer> ports = this.portsByHost.get(request.getServerName().toLowerCase(Locale.ROOT));
		if (ports == null) {
			return "host not allowed";
		}
		int port = request.getServerPort();
		if (port != defaultPort(request.getScheme()) && port != request.getLocalPort() && !ports.contains(port)) {
			return "port not allowed";
		}
		return null;
	}

	private static int defaultPort(String scheme) {
		return "https".equalsIgnoreCase(scheme) ? 443 : 80;
	}

}
