package dev.pagecache.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AcceptEncoding}.
 *
 * @author pagecache
 */
class AcceptEncodingTests {

	@ParameterizedTest(name = "Accept-Encoding: \"{0}\" -> {1}")
	@CsvSource(delimiter = '|',
			value = { "gzip | true", "GZIP | true", "gzip, deflate, br | true", "deflate , gzip | true",
					"br;q=1.0, gzip;q=0.8 | true", "gzip; q=0.001 | true", "gzip;q=0 | false",
					"gzip ; q = 0.000 | false", "gzip;Q=0.0 | false", "deflate, gzip;q=0, br | false", "x-gzip | false",
					"gzipped | false", "br | false", "identity | false", "'' | false", "'  ,  , gzip' | true" })
	void acceptsGzipOnlyWithANonZeroQuality(String acceptEncoding, boolean accepted) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addHeader("Accept-Encoding", acceptEncoding);
		assertThat(AcceptEncoding.acceptsGzip(request)).isEqualTo(accepted);
	}

	@ParameterizedTest(name = "headers {0} -> {1}")
	@CsvSource(delimiter = '|', value = { "deflate;br | false", "br;identity;compress | false" })
	void acceptsGzipReadsEveryAcceptEncodingHeader(String headers, boolean accepted) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		for (String header : headers.split(";")) {
			request.addHeader("Accept-Encoding", header);
		}
		assertThat(AcceptEncoding.acceptsGzip(request)).isEqualTo(accepted);
		request.addHeader("Accept-Encoding", "gzip");
		assertThat(AcceptEncoding.acceptsGzip(request)).isTrue();
	}

}
