package dev.pagecache.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import dev.pagecache.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two copies that the shipped edge files keep of a page, gzip and identity, read
 * through a running edge: each client gets its own copy as it was stored, and a write
 * removes both.
 *
 * @author pagecache
 */
final class EdgeCopies {

	private static final String GZIP_CLIENT = "gzip, deflate, br";

	private EdgeCopies() {
	}

	/**
	 * Warm both copies of a page, check that each is a hit served as stored (the identity
	 * copy has its length, where nginx would chunk a copy it decompressed), comment on
	 * the page, and check that both clients then get the new page from the application,
	 * each a miss of its own (with one copy per URL, the identity client's miss would
	 * store the gzip copy, and the gzip client would hit it).
	 * @param edge the edge
	 * @param path a post's path, which no other test writes to
	 */
	static void assertEachEncodingHitsItsCopyAndACommentRemovesBoth(TestHttp<byte[]> edge, String path) {
		warm(edge, path);
		warm(edge, path, "Accept-Encoding", GZIP_CLIENT);
		HttpResponse<byte[]> identity = edge.get(path);
		assertThat(xCache(identity)).isEqualTo("HIT");
		assertThat(identity.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(identity.headers().firstValue("Content-Length"))
			.as("the stored identity body, not one decompressed by nginx (chunked)")
			.hasValue(String.valueOf(identity.body().length));
		HttpResponse<byte[]> gzip = edge.get(path, "Accept-Encoding", GZIP_CLIENT);
		assertThat(xCache(gzip)).isEqualTo("HIT");
		assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(gunzip(gzip.body())).isEqualTo(new String(identity.body(), StandardCharsets.UTF_8));
		String comment = "Both copies " + UUID.randomUUID();
		HttpResponse<byte[]> posted = edge.postForm(path + "/comments",
				TestHttp.fields("author", "Ida", "body", comment), "Sec-Fetch-Site", "same-origin");
		assertThat(posted.statusCode()).isEqualTo(303);
		HttpResponse<byte[]> newIdentity = edge.get(path, "Accept-Encoding", "gzip;q=0, identity");
		assertThat(xCache(newIdentity)).isEqualTo("MISS");
		assertThat(newIdentity.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(new String(newIdentity.body(), StandardCharsets.UTF_8)).contains(comment);
		HttpResponse<byte[]> newGzip = edge.get(path, "Accept-Encoding", "gzip");
		assertThat(xCache(newGzip)).isEqualTo("MISS");
		assertThat(gunzip(newGzip.body())).contains(comment);
	}

	private static void warm(TestHttp<byte[]> edge, String path, String... headers) {
		for (int i = 0; i < 4 && !"HIT".equals(xCache(edge.get(path, headers))); i++) {
			// until the edge serves it from its cache
		}
	}

	private static String xCache(HttpResponse<?> response) {
		return response.headers().firstValue("X-Cache").orElse("none");
	}

	private static String gunzip(byte[] body) {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
