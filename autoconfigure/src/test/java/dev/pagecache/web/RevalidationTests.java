package dev.pagecache.web;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Revalidation}.
 *
 * @author pagecache
 */
class RevalidationTests {

	@Test
	void etagChangesWhenAnyOneByteOfTheBodyChanges() {
		byte[] page = SamplePage.html();
		String etag = etagOf(page, 1);
		Set<String> etags = new HashSet<>(Set.of(etag));
		for (int position = 0; position < page.length; position += 97) {
			byte[] changed = page.clone();
			changed[position] ^= 1;
			etags.add(etagOf(changed, 1));
		}
		byte[] last = page.clone();
		last[last.length - 1] = 'x';
		etags.add(etagOf(last, 1));
		etags.add(etagOf(Arrays.copyOf(page, page.length - 1), 1));
		etags.add(etagOf(Arrays.copyOf(page, page.length + 1), 1));
		assertThat(etags).hasSize(1 + (page.length + 96) / 97 + 3);
	}

	@Test
	void etagIsAStrongValidatorOf128BitsThatTheSameBodyAlwaysGets() {
		byte[] page = SamplePage.html();
		String etag = etagOf(page, 1);
		assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
		assertThat(etagOf(page.clone(), 1)).isEqualTo(etag);
	}

	@Test
	void etagOfTheApplicationIsKept() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.setHeader("ETag", "\"v42\"");
		byte[] page = SamplePage.html();
		assertThat(Revalidation.etagOf(response, Gzip.compress(page, page.length, 1))).isEqualTo("\"v42\"");
	}

	@Test
	void ifNoneMatchNamingEitherEncodingOrAnyMatches() {
		PageEntry entry = new PageEntry(200, List.of(), Gzip.compress(new byte[1], 1, 1), 1, "\"abc\"", 0,
				Set.of("Page"));
		assertThat(matches(entry, "\"abc\"")).isTrue();
		assertThat(matches(entry, "\"x\", W/\"abc-gz\"")).isTrue();
		assertThat(matches(entry, "*")).isTrue();
		assertThat(matches(entry, "\"abd\"")).isFalse();
		assertThat(matches(entry)).isFalse();
	}

	@Test
	void cacheControlOfTheApplicationIsKept() {
		MockHttpServletResponse response = new MockHttpServletResponse();
		Revalidation.setCacheControl(response);
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
		MockHttpServletResponse own = new MockHttpServletResponse();
		own.setHeader("Cache-Control", "max-age=60");
		Revalidation.setCacheControl(own);
		assertThat(own.getHeaders("Cache-Control")).containsExactly("max-age=60");
	}

	private static boolean matches(PageEntry entry, String... ifNoneMatch) {
		return Revalidation.matches(Collections.enumeration(List.of(ifNoneMatch)), entry);
	}

	private static String etagOf(byte[] body, int level) {
		return Revalidation.etagOf(new MockHttpServletResponse(), Gzip.compress(body, body.length, level));
	}

}
