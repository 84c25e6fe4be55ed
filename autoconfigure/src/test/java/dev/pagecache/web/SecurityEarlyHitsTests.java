package dev.pagecache.web;

import org.junit.jupiter.api.Test;

import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allow-list of Spring Security's own filters that {@link SecurityEarlyHits} proves
 * chains with: each name is a class of the Security version this build compiles against
 * (a misspelt name would make a chain unprovable, silently).
 */
class SecurityEarlyHitsTests {

	@Test
	void everyAllowedFilterIsAFilterClassOfThisBuild() {
		assertThat(SecurityEarlyHits.SECURITY_FILTERS).hasSize(20)
			.allSatisfy((name) -> assertThat(jakarta.servlet.Filter.class)
				.isAssignableFrom(ClassUtils.resolveClassName(name, getClass().getClassLoader())));
	}

}
