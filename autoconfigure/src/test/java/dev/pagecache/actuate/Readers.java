package dev.pagecache.actuate;

import java.security.Principal;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SecurityContext;

/**
 * Readers of the endpoint as its operations see them.
 */
final class Readers {

	private Readers() {
	}

	/**
	 * A signed-in reader.
	 * @param roles the roles the reader is in
	 * @return the reader's security context
	 */
	static SecurityContext signedIn(String... roles) {
		Set<String> granted = Set.of(roles);
		return new SecurityContext() {

			@Override
			public Principal getPrincipal() {
				return () -> "admin";
			}

			@Override
			public boolean isUserInRole(String role) {
				return granted.contains(role);
			}

		};
	}

}
