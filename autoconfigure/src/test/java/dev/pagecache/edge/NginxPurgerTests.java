package dev.pagecache.edge;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pagecache.PageCache;
import dev.pagecache.store.InMemoryPageStore;
import dev.pagecache.store.PageEntry;
import dev.pagecache.test.NginxProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nginx purger against a real nginx, started with the shipped
 * {@code edge/nginx/pagecache.conf} and Debian's cache purge module in front of a small
 * HTTP backend that answers as pagecache does for a stored page ({@code Cache-Control:
 * public, s-maxage=60, max-age=0, must-revalidate}, gzip for requests that ask for it).
 * Skipped where nginx or the module is missing, unless {@code CI} is set.
 */
class NginxPurgerTests {

	private static final String SHARED = "public, s-maxage=60, max-age=0, must-revalidate";

	private static final Map<String, AtomicInteger> renders = new ConcurrentHashMap<>();

	private static final List<String> backendRequests = new CopyOnWriteArrayList<>();

	private static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static HttpServer backend;

	private static NginxProcess nginx;

	private static NginxPurger purger;

	@BeforeAll
	static void startNginx() throws IOException {
		NginxProcess.assumeInstalled();
		backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		backend.createContext("/", NginxPurgerTests::render);
		backend.start();
		nginx = NginxProcess.startInFrontOf(Path.of("../edge/nginx/pagecache.conf"), backend.getAddress().getPort());
		purger = new NginxPurger(List.of(URI.create(nginx.getUrl())),
				new EdgeHttp("nginx", Duration.ofSeconds(5), Clock.systemUTC()));
	}

	@AfterAll
	static void stopNginx() {
		if (nginx != null) {
			nginx.close();
		}
		if (backend != null) {
			backend.stop(0);
		}
	}

	@Test
	void storedPageIsAHitUntilItsUrlIsPurged() {
		assertThat(get("/a/posts/1")).isEqualTo(new Page("MISS", "render 1 of /a/posts/1"));
		assertThat(get("/a/posts/1")).isEqualTo(new Page("HIT", "render 1 of /a/posts/1"));
		assertThat(get("/a/posts/2").xCache()).isEqualTo("MISS");
		assertThat(get("/a/posts/2").xCache()).isEqualTo("HIT");
		purger.purge(new EdgePurger.Purge(Set.of(), Set.of("/a/posts/1")));
		assertThat(get("/a/posts/1")).isEqualTo(new Page("MISS", "render 2 of /a/posts/1"));
		assertThat(get("/a/posts/1")).isEqualTo(new Page("HIT", "render 2 of /a/posts/1"));
		assertThat(get("/a/posts/2")).isEqualTo(new Page("HIT", "render 1 of /a/posts/2"));
	}

	@Test
	void theQueryIsPartOfTheKey() {
		get("/b/posts?page=2");
		get("/b/posts?page=3");
		purger.purge(new EdgePurger.Purge(Set.of(), Set.of("/b/posts?page=2")));
		assertThat(get("/b/posts?page=2")).isEqualTo(new Page("MISS", "render 2 of /b/posts?page=2"));
		assertThat(get("/b/posts?page=3")).isEqualTo(new Page("HIT", "render 1 of /b/posts?page=3"));
	}

	@Test
	void eachEncodingHasItsOwnCopyAndAPurgeOfTheUrlRemovesBoth() {
		assertThat(get("/c/post", "Accept-Encoding", "gzip")).isEqualTo(new Page("MISS", "render 1 of /c/post"));
		assertThat(get("/c/post")).isEqualTo(new Page("MISS", "render 2 of /c/post"));
		assertThat(get("/c/post", "Accept-Encoding", "gzip, deflate, br"))
			.isEqualTo(new Page("HIT", "render 1 of /c/post"));
		assertThat(get("/c/post", "Accept-Encoding", "gzip;q=0, identity"))
			.isEqualTo(new Page("HIT", "render 2 of /c/post"));
		purger.purge(new EdgePurger.Purge(Set.of(), Set.of("/c/post")));
		assertThat(get("/c/post")).isEqualTo(new Page("MISS", "render 3 of /c/post"));
		assertThat(get("/c/post", "Accept-Encoding", "gzip")).isEqualTo(new Page("MISS", "render 4 of /c/post"));
		assertThat(backendRequests).filteredOn((request) -> request.startsWith("/c/post "))
			.containsExactly("/c/post accept-encoding=gzip cookie=null", "/c/post accept-encoding=null cookie=null",
					"/c/post accept-encoding=null cookie=null", "/c/post accept-encoding=gzip cookie=null");
	}

	@Test
	void hitsAreServedAsStoredWithoutDecompression() throws IOException {
		get("/h/post");
		get("/h/post", "Accept-Encoding", "gzip");
		HttpResponse<byte[]> identity = send("/h/post");
		assertThat(identity.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(new String(identity.body(), StandardCharsets.UTF_8)).isEqualTo("render 1 of /h/post");
		assertThat(identity.headers().firstValue("Content-Length"))
			.as("the stored identity body, not one decompressed on the way (chunked)")
			.hasValue(String.valueOf(identity.body().length));
		HttpResponse<byte[]> gzip = send("/h/post", "Accept-Encoding", "gzip");
		assertThat(gzip.headers().firstValue("X-Cache")).hasValue("HIT");
		assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("render 2 of /h/post");
		}
	}

	@Test
	void everythingPurgesEveryPageOrFailsSayingWhy() {
		get("/d/1");
		get("/d/2");
		try {
			purger.purge(EdgePurger.Purge.everything());
			assertThat(get("/d/1").xCache()).isEqualTo("MISS");
			assertThat(get("/d/2").xCache()).isEqualTo("MISS");
		}
		catch (EdgePurger.PurgeException ex) {
			// a module without partial keys (Debian 12's 2.3) cannot purge every page
			assertThat(ex).hasMessageContaining("partial keys");
			assertThat(get("/d/1").xCache()).isEqualTo("HIT");
		}
	}

	@Test
	void clearPurgesEveryPageAtNginxByTheUrlsOfThePagesInTheStoresIndex() {
		InMemoryPageStore store = new InMemoryPageStore(100, 1 << 20, Duration.ofSeconds(30), Clock.systemUTC());
		for (String url : List.of("/g/1", "/g/2?page=2", "/g/3")) {
			get(url);
			assertThat(get(url).xCache()).isEqualTo("HIT");
			PageEntry entry = new PageEntry(200, List.of(), new byte[0], 0, "\"e\"", System.currentTimeMillis(),
					Set.of("path:" + url, EdgePurger.Purge.ALL_PAGES_TAG));
			String key = "GET http://localhost:80" + url;
			assertThat(store.put(key, entry, Duration.ofMinutes(1), store.lookup(key))).isTrue();
		}
		EdgePurges purges = new EdgePurges(List.of(purger), store, new InMemoryEdgePurgeQueue(),
				new EdgePurges.Settings(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
		try {
			PageCache cache = new PurgingPageCache(new StoreCache(store), purges);
			cache.clear();
			assertThat(purges.status().queued()).as("purges waiting to be retried").isZero();
			assertThat(purges.status().lastFailure()).isNull();
			assertThat(get("/g/1")).isEqualTo(new Page("MISS", "render 2 of /g/1"));
			assertThat(get("/g/2?page=2")).isEqualTo(new Page("MISS", "render 2 of /g/2?page=2"));
			assertThat(get("/g/3")).isEqualTo(new Page("MISS", "render 2 of /g/3"));
		}
		finally {
			purges.destroy();
		}
	}

	@Test
	void personalRequestsPassAndAreNeverStored() {
		assertThat(get("/e/page", "Cookie", "JSESSIONID=1234").xCache()).isEqualTo("MISS");
		assertThat(get("/e/page", "Cookie", "_ga=GA1.2.3; JSESSIONID=1234").xCache()).isEqualTo("MISS");
		assertThat(get("/e/page", "Authorization", "Bearer token").xCache()).isEqualTo("MISS");
		assertThat(get("/e/page")).isEqualTo(new Page("MISS", "render 4 of /e/page"));
		assertThat(get("/e/page").xCache()).isEqualTo("HIT");
		assertThat(get("/e/page", "Cookie", "JSESSIONID=1234")).isEqualTo(new Page("MISS", "render 5 of /e/page"));
		assertThat(get("/e/page", "Authorization", "Basic dXNlcjpwYXNz").xCache()).isEqualTo("MISS");
	}

	@Test
	void analyticsCookiesAreStrippedAndTheirRequestsShareTheCopy() {
		assertThat(get("/f/page", "Cookie", "_ga=GA1.2.3.4; _gid=GA1.2.5").xCache()).isEqualTo("MISS");
		assertThat(get("/f/page", "Cookie", "_pk_id.1.1fff=abc").xCache()).isEqualTo("HIT");
		assertThat(backendRequests).filteredOn((request) -> request.startsWith("/f/page "))
			.containsExactly("/f/page accept-encoding=null cookie=null");
	}

	@Test
	void privateResponsesAndResponsesVaryingOnOtherHeadersAreNotStored() {
		get("/private/page");
		assertThat(get("/private/page").xCache()).isEqualTo("MISS");
		get("/varies/page");
		assertThat(get("/varies/page").xCache()).isEqualTo("MISS");
	}

	@Test
	void purgeFromAnAddressOutsideTheAclIsRefused() {
		get("/g/page");
		assertThat(purgeFrom("127.0.0.2", "/g/page")).isEqualTo(403);
		assertThat(get("/g/page").xCache()).isEqualTo("HIT");
		assertThat(purgeFrom("127.0.0.1", "/g/page")).isEqualTo(200);
		assertThat(get("/g/page").xCache()).isEqualTo("MISS");
	}

	/** The status of a PURGE sent from a local address of the loopback network. */
	private static int purgeFrom(String address, String target) {
		try (Socket socket = new Socket()) {
			try {
				socket.bind(new InetSocketAddress(address, 0));
			}
			catch (IOException ex) {
				Assumptions.abort("This system cannot send from " + address + ": " + ex);
			}
			socket.connect(new InetSocketAddress("127.0.0.1", nginx.getPort()), 5000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("PURGE " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			return Integer.parseInt(response.split(" ", 3)[1]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Page get(String target, String... headers) {
		try {
			HttpResponse<byte[]> response = send(target, headers);
			byte[] body = response.body();
			if (response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
				if (!List.of(headers).contains("Accept-Encoding")) {
					return new Page("gzip sent to a client that does not accept it", "");
				}
				try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(body))) {
					body = gzip.readAllBytes();
				}
			}
			return new Page(response.headers().firstValue("X-Cache").orElse("none"),
					new String(body, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static HttpResponse<byte[]> send(String target, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nginx.getUrl() + target))
			.timeout(Duration.ofSeconds(10));
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			HttpResponse<byte[]> response = client.send(request.build(), BodyHandlers.ofByteArray());
			assertThat(response.statusCode()).as("status of %s\n%s", target, nginx.errorLog()).isEqualTo(200);
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The backend: a page per URL that says how often it was rendered, marked as
	 * pagecache marks a stored page, compressed for clients that accept gzip.
	 */
	private static void render(HttpExchange exchange) throws IOException {
		try (exchange) {
			String target = exchange.getRequestURI().toString();
			String encoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
			backendRequests.add(target + " accept-encoding=" + encoding + " cookie="
					+ exchange.getRequestHeaders().getFirst("Cookie"));
			int render = renders.computeIfAbsent(target, (key) -> new AtomicInteger()).incrementAndGet();
			byte[] body = ("render " + render + " of " + target).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/html;charset=UTF-8");
			exchange.getResponseHeaders()
				.add("Cache-Control", target.startsWith("/private/") ? "private, no-cache" : SHARED);
			exchange.getResponseHeaders()
				.add("Vary", target.startsWith("/varies/") ? "Accept-Language" : "Accept-Encoding");
			if (encoding != null && encoding.contains("gzip")) {
				ByteArrayOutputStream compressed = new ByteArrayOutputStream();
				try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
					gzip.write(body);
				}
				body = compressed.toByteArray();
				exchange.getResponseHeaders().add("Content-Encoding", "gzip");
			}
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
		}
	}

	record Page(String xCache, String body) {
	}

}
