package dev.pagecache.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.TestHttp;
import dev.pagecache.testapp.PageTestApplication;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

import static dev.pagecache.test.TestHttp.cacheResult;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response over {@code pagecache.max-entry-size} streams through untouched and is never
 * buffered beyond the limit (DESIGN section 4): the bytes the serving thread allocates
 * for a 20 MB page stay those of a 2 MB page, about twice the limit (the capture buffer
 * doubles up to it), far from the body's size; and the body arrives intact. That such a
 * response is not stored is tested in {@link CacheabilityRulesHttpTests}. With
 * {@code pagecache.max-entry-size=64MB} the 20 MB page is buffered whole and the test
 * fails.
 *
 * @author pagecache
 */
@SpringBootTest(classes = { PageTestApplication.class, OversizedResponseHttpTests.AllocationMeter.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.store=memory", "pagecache.max-entry-size=1MB" })
class OversizedResponseHttpTests {

	private static final DataSize LIMIT = DataSize.ofMegabytes(1);

	/**
	 * What the serving thread may allocate besides the capture buffer (Tomcat, Spring
	 * MVC, the filter).
	 */
	private static final DataSize OVERHEAD = DataSize.ofMegabytes(2);

	@LocalServerPort
	int port;

	@Autowired
	AllocationMeter meter;

	TestHttp<byte[]> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.bytes(this.port);
	}

	@Test
	void oversizedResponseIsNeverBufferedBeyondTheLimit() {
		int small = (int) DataSize.ofMegabytes(2).toBytes();
		int large = (int) DataSize.ofMegabytes(20).toBytes();
		long smallAllocated = leastAllocated(small);
		long largeAllocated = leastAllocated(large);
		System.out.printf(
				"Oversized response (limit %d KB): serving thread allocated %d KB for 2 MB, %d KB for " + "20 MB%n",
				LIMIT.toKilobytes(), smallAllocated / 1024, largeAllocated / 1024);
		assertThat(largeAllocated).as("bytes allocated serving 20 MB")
			.isLessThan(2 * LIMIT.toBytes() + OVERHEAD.toBytes())
			.isLessThan(smallAllocated + OVERHEAD.toBytes());
	}

	@Test
	void oversizedResponseWrittenThroughTheWriterArrivesIntact() {
		for (int size : new int[] { (int) LIMIT.toBytes() - 1, (int) LIMIT.toBytes() + 1,
				3 * (int) LIMIT.toBytes() + 7 }) {
			HttpResponse<byte[]> response = this.http.get("/large-text?size=" + size);
			assertThat(response.statusCode()).isEqualTo(200);
			assertIntact(response.body(), size);
		}
	}

	/**
	 * Request a page of the given size a few times, checking that the body arrives whole,
	 * and return the fewest bytes the serving thread allocated (the first requests also
	 * load classes and fill caches).
	 */
	private long leastAllocated(int size) {
		long least = Long.MAX_VALUE;
		for (int i = 0; i < 4; i++) {
			// a size of its own each time, so that every request renders
			String path = "/large?size=" + (size + i);
			HttpResponse<byte[]> response = this.http.get(path);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(cacheResult(response)).isEqualTo("MISS");
			assertIntact(response.body(), size + i);
			least = Math.min(least, this.meter.allocated(path));
		}
		return least;
	}

	/**
	 * The body that {@code /large} writes: the same 1 KB line over and over, cut at the
	 * size.
	 */
	private static void assertIntact(byte[] body, int size) {
		assertThat(body).hasSize(size);
		byte[] line = "0123456789abcdef".repeat(64).getBytes();
		for (int i = 0; i < size; i++) {
			if (body[i] != line[i % line.length]) {
				throw new AssertionError("Body differs at byte " + i);
			}
		}
	}

	/**
	 * Records the bytes each request's thread allocated while the request went through
	 * the filters, the page cache's included.
	 */
	@Configuration(proxyBeanMethods = false)
	static class AllocationMeter implements Filter {

		private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();

		private final Map<String, Long> allocated = new ConcurrentHashMap<>();

		long allocated(String path) {
			Long bytes = this.allocated.get(path);
			assertThat(bytes).as("allocation recorded for %s", path).isNotNull();
			return bytes;
		}

		@Bean
		FilterRegistrationBean<AllocationMeter> allocationMeterRegistration() {
			FilterRegistrationBean<AllocationMeter> registration = new FilterRegistrationBean<>(this);
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			long before = this.threads.getCurrentThreadAllocatedBytes();
			try {
				chain.doFilter(request, response);
			}
			finally {
				HttpServletRequest http = (HttpServletRequest) request;
				this.allocated.put(http.getRequestURI() + "?" + http.getQueryString(),
						this.threads.getCurrentThreadAllocatedBytes() - before);
			}
		}

	}

}
