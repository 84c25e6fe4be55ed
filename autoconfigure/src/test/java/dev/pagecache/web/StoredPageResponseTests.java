package dev.pagecache.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StoredPageResponse}: a stored page written as a hit.
 *
 * @author pagecache
 */
class StoredPageResponseTests {

	private static final byte[] BODY = "<p>stored</p>".getBytes(StandardCharsets.UTF_8);

	private final PageEntry entry = new PageEntry(200,
			List.of(new PageEntry.Header("Content-Type", "text/html"), new PageEntry.Header("X-Frame-Options", "DENY")),
			Gzip.compress(BODY, BODY.length, 1), BODY.length, "\"e\"", 1_000, Set.of("Page"));

	@Test
	void clientThatAcceptsGzipGetsTheStoredBytesAsTheyAre() throws IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("Accept-Encoding", "gzip");
		MockHttpServletResponse response = write(request, 8_500);
		assertThat(response.getContentAsByteArray()).isEqualTo(this.entry.gzippedBody());
		assertThat(response.getHeader("Content-Encoding")).isEqualTo("gzip");
		assertThat(response.getHeader("ETag")).isEqualTo("\"e-gz\"");
		assertThat(response.getHeader("Age")).isEqualTo("7");
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(response.getHeader("Cache-Control")).isEqualTo("no-cache");
		assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
	}

	@Test
	void clientThatDoesNotAcceptGzipGetsTheIdentityBody() throws IOException {
		MockHttpServletResponse response = write(new MockHttpServletRequest("GET", "/"), 1_000);
		assertThat(response.getContentAsByteArray()).isEqualTo(BODY);
		assertThat(response.getHeader("Content-Encoding")).isNull();
		assertThat(response.getHeader("ETag")).isEqualTo("\"e\"");
		assertThat(response.getContentLength()).isEqualTo(BODY.length);
	}

	@Test
	void clientHoldingThePageGetsNotModified() throws IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("If-None-Match", "\"e-gz\"");
		MockHttpServletResponse response = write(request, 1_000);
		assertThat(response.getStatus()).isEqualTo(304);
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Test
	void ageIsFormattedOnceWithinTheFirstHourAndAlwaysRight() {
		assertThat(StoredPageResponse.age(0)).isEqualTo("0");
		assertThat(StoredPageResponse.age(3599)).isEqualTo("3599").isSameAs(StoredPageResponse.age(3599));
		assertThat(StoredPageResponse.age(3600)).isEqualTo("3600");
		assertThat(StoredPageResponse.age(86_400_000L)).isEqualTo("86400000");
	}

	private MockHttpServletResponse write(MockHttpServletRequest request, long now) throws IOException {
		MockHttpServletResponse response = new MockHttpServletResponse();
		StoredPageResponse.write(request, response, this.entry, now, CacheStatus.HIT);
		return response;
	}

}
