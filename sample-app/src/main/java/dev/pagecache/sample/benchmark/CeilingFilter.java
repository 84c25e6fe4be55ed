package dev.pagecache.sample.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The ceiling of the hit-path benchmark: at the page cache filter's place in the chain,
 * answers {@code /ceiling/<path>} with the bytes and headers a hit of {@code <path>}
 * writes, held in a map. The page is fetched once, over loopback, on the first request.
 */
final class CeilingFilter implements Filter {

	static final String PREFIX = "/ceiling";

	private final Map<String, Page> pages = new ConcurrentHashMap<>();

	private final HttpClient client = HttpClient.newHttpClient();

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		HttpServletRequest request = (HttpServletRequest) req;
		HttpServletResponse response = (HttpServletResponse) res;
		String path = request.getRequestURI().substring(request.getContextPath().length() + PREFIX.length());
		Page page = this.pages.get(path);
		if (page == null) {
			page = render(request, path);
			this.pages.put(path, page);
		}
		String acceptEncoding = request.getHeader("Accept-Encoding");
		boolean gzip = acceptEncoding != null && acceptEncoding.contains("gzip");
		byte[] body = gzip ? page.gzipped : page.identity;
		response.setStatus(200);
		response.setContentType(page.contentType);
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("Vary", "Accept-Encoding");
		response.setHeader("X-Page-Cache", "HIT");
		response.setHeader("Age", "0");
		response.setHeader("ETag", gzip ? page.gzipEtag : page.etag);
		if (gzip) {
			response.setHeader("Content-Encoding", "gzip");
		}
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private Page render(HttpServletRequest request, String path) throws IOException {
		URI uri = URI.create("http://127.0.0.1:" + request.getLocalPort() + request.getContextPath() + path);
		HttpResponse<byte[]> rendered;
		try {
			rendered = this.client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		byte[] identity = rendered.body();
		ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
			out.write(identity);
		}
		String hash = Integer.toHexString(Arrays.hashCode(identity));
		String contentType = rendered.headers().firstValue("Content-Type").orElse("text/html;charset=UTF-8");
		return new Page(identity, gzipped.toByteArray(), contentType, "\"" + hash + "\"", "\"" + hash + "-gz\"");
	}

	private record Page(byte[] identity, byte[] gzipped, String contentType, String etag, String gzipEtag) {

	}

}
