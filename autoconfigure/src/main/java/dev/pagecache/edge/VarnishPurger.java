package dev.pagecache.edge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.springframework.util.Assert;

/**
 * Purges Varnish servers that run the shipped {@code edge/varnish/pagecache.vcl}: tag
 * tokens with {@code PURGE /} and an {@code xkey-purge} header (the xkey module of
 * varnish-modules drops every object that carries one of them), URLs with
 * {@code PURGE <path?query>} (the VCL bans the objects stored for that URL, on any host;
 * {@code PURGE /*} bans every page). It purges by tag only where pages carry their tokens
 * in {@code xkey} ({@code pagecache.edge.tag-header=xkey}, the default); with another tag
 * header, or none, it is given the URLs of the invalidated pages instead. Every endpoint
 * gets every purge, concurrently; the purge fails if one of them does not answer
 * {@code 200}.
 *
 * @author pagecache
 */
final class VarnishPurger implements EdgePurger {

	/** The request header that carries the tokens to purge, read by the VCL. */
	static final String XKEY_PURGE = "xkey-purge";

	/**
	 * The longest {@code xkey-purge} value sent at once: Varnish's http_req_hdr_len is 8
	 * KB by default.
	 */
	static final int MAX_TOKENS_LENGTH = 7000;

	private final List<URI> endpoints;

	private final boolean byTag;

	private final Duration timeout;

	private final HttpClient client;

	/**
	 * Create a purger.
	 * @param endpoints the base URLs of the Varnish servers
	 * @param byTag whether pages carry their tag tokens in {@code xkey}
	 * @param timeout the longest wait for one purge request
	 */
	VarnishPurger(List<String> endpoints, boolean byTag, Duration timeout) {
		Assert.notEmpty(endpoints, "'endpoints' must not be empty");
		this.endpoints = endpoints.stream().map((endpoint) -> URI.create(trimSlash(endpoint.strip()))).toList();
		this.byTag = byTag;
		this.timeout = timeout;
		this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
	}

	@Override
	public boolean purgesByTag() {
		return this.byTag;
	}

	@Override
	public void purge(EdgePurger.Purge purge) {
		List<HttpRequest> requests = requests(purge);
		List<CompletableFuture<String>> sent = new ArrayList<>();
		for (HttpRequest request : requests) {
			sent.add(this.client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
				.handle((response, failure) -> outcome(request, response, failure)));
		}
		List<String> failures = new ArrayList<>();
		for (CompletableFuture<String> outcome : sent) {
			String failure = outcome.join();
			if (failure != null) {
				failures.add(failure);
			}
		}
		if (!failures.isEmpty()) {
			throw new EdgePurger.PurgeException("Varnish purge failed: " + String.join("; ", failures));
		}
	}

	private List<HttpRequest> requests(EdgePurger.Purge purge) {
		List<HttpRequest> requests = new ArrayList<>();
		List<String> batches = tokenBatches(purge);
		for (URI endpoint : this.endpoints) {
			for (String tokens : batches) {
				requests.add(request(endpoint, "/").header(XKEY_PURGE, tokens).build());
			}
			for (String url : purge.urls()) {
				requests.add(request(endpoint, url).build());
			}
		}
		return requests;
	}

	private HttpRequest.Builder request(URI endpoint, String url) {
		return HttpRequest.newBuilder(URI.create(endpoint + url))
			.method("PURGE", HttpRequest.BodyPublishers.noBody())
			.timeout(this.timeout);
	}

	/**
	 * The tokens in space-separated batches that each fit in a request header.
	 */
	static List<String> tokenBatches(EdgePurger.Purge purge) {
		List<String> batches = new ArrayList<>();
		StringBuilder batch = new StringBuilder();
		for (String token : purge.tags().stream().sorted().toList()) {
			if (batch.length() > 0 && batch.length() + 1 + token.length() > MAX_TOKENS_LENGTH) {
				batches.add(batch.toString());
				batch.setLength(0);
			}
			batch.append((batch.length() > 0) ? " " : "").append(token);
		}
		if (batch.length() > 0) {
			batches.add(batch.toString());
		}
		return batches;
	}

	/**
	 * @return what failed, or {@code null} if Varnish purged
	 */
	private static String outcome(HttpRequest request, HttpResponse<Void> response, Throwable failure) {
		if (failure != null) {
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			return "PURGE " + request.uri() + ": " + cause;
		}
		return (response.statusCode() == 200) ? null : "PURGE " + request.uri() + " answered " + response.statusCode();
	}

	private static String trimSlash(String endpoint) {
		return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
	}

	@Override
	public String name() {
		return "varnish";
	}

}
