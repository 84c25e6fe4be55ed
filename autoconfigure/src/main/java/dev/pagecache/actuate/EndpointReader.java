package dev.pagecache.actuate;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.boot.actuate.endpoint.SecurityContext;

/**
 * Who reads the endpoint, which decides what it shows. Anyone sees page patterns and
 * figures. Page keys name hosts, paths and query strings that requests chose, and a tag
 * chosen at run time may hold a URL: only an authenticated reader sees them.
 * <p>
 * A reader is authenticated when the actuator's {@link SecurityContext} has a principal.
 * Over HTTP that is the request's user principal, which Spring Security sets for a
 * signed-in user and leaves {@code null} for its anonymous one, and which is {@code null}
 * without Spring Security (unless the servlet container authenticated the request). Over
 * JMX there is none: JMX readers get the anonymous view.
 *
 * @author pagecache
 */
enum EndpointReader {

	/**
	 * No principal: page patterns and figures only.
	 */
	ANONYMOUS,

	/**
	 * A principal: page keys too, a bounded number of them.
	 */
	AUTHENTICATED;

	/** What the statistics call the types past their limit, and where odd names go. */
	static final String OTHER_TYPE = "(other)";

	/**
	 * The names of invalidation types that anyone may see: entity names, {@code path},
	 * {@code route} and {@code *} (clears). Anything else came from a tag that is not an
	 * entity's and may hold a URL or a host.
	 */
	private static final Pattern PLAIN_TYPE = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*|\\*");

	/**
	 * The reader of an operation.
	 * @param securityContext the operation's security context
	 * @return the reader
	 */
	static EndpointReader of(SecurityContext securityContext) {
		return (securityContext.getPrincipal() != null) ? AUTHENTICATED : ANONYMOUS;
	}

	/**
	 * Whether this reader sees page keys.
	 * @return {@code true} if authenticated
	 */
	boolean seesKeys() {
		return this == AUTHENTICATED;
	}

	/**
	 * Invalidations by type as this reader may see them: for an anonymous reader, the
	 * types that are not plain names are added to {@value #OTHER_TYPE}.
	 * @param invalidationsByType the invalidations by type
	 * @return the invalidations this reader sees, sorted by type
	 */
	Map<String, Long> invalidationsByType(Map<String, Long> invalidationsByType) {
		Map<String, Long> shown = new TreeMap<>();
		invalidationsByType.forEach((type, count) -> shown.merge(shownType(type), count, Long::sum));
		return shown;
	}

	private String shownType(String type) {
		return (seesKeys() || PLAIN_TYPE.matcher(type).matches()) ? type : OTHER_TYPE;
	}

}
