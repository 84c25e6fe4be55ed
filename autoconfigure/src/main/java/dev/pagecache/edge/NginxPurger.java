package dev.pagecache.edge;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

/**
 * Purges nginx's {@code proxy_cache} by URL, through the cache purge module that Debian
 * ships as libnginx-mod-http-cache-purge, configured as the shipped
 * {@code edge/nginx/pagecache.conf} does. That configuration keeps two copies per URL,
 * gzip and identity, under the keys {@code gzip<path and query>} and
 * {@code identity<path and query>}, and its purge location computes the key of a purge
 * from the purge's own {@code Accept-Encoding} and URI: so every endpoint gets two
 * {@code PURGE <path and query>} per URL, one with {@code Accept-Encoding: gzip} and one
 * without. nginx answers 200 when it removed a copy and 404 when it held none, both a
 * success; 403 means the address the application purges from is not allowed by the
 * configuration's purge location.
 * <p>
 * A purge of every page ({@code pageCache.clear()}) reaches this purger as the URLs of
 * every page in the store's index, in batches, so that it works with any version of the
 * module. Only where the store could not list them is it sent as {@code PURGE /*}, which
 * versions of the module with "partial keys" (nginx-modules/ngx_cache_purge 2.4 and
 * later) read as a prefix of every key, and answer 200. Debian 12's module (FRiCKLE's
 * 2.3) reads it as one more key and answers 404: the purge then fails, saying so, rather
 * than report success; it is queued, and its retry sends the URLs of the pages the store
 * holds then.
 * <p>
 * The purge module removes one copy per key, whatever the response's {@code Vary}
 * (FRiCKLE/ngx_cache_purge issue 16), which is why the shipped configuration puts the
 * encoding in the key rather than in {@code Vary}.
 *
 * @author pagecache
 * @see <a href="https://github.com/FRiCKLE/ngx_cache_purge">ngx_cache_purge 2.3: separate
 * location syntax</a>
 * @see <a href=
 * "https://github.com/nginx-modules/ngx_cache_purge">nginx-modules/ngx_cache_purge:
 * partial keys</a>
 * @see <a href="https://github.com/FRiCKLE/ngx_cache_purge/issues/16">ngx_cache_purge:
 * purge and the Vary header</a>
 */
final class NginxPurger implements EdgePurger {

	/** Purge requests in flight at once, over all endpoints. */
	private static final int CONCURRENCY = 16;

	private final List<URI> endpoints;

	private final EdgeHttp http;

	NginxPurger(List<URI> endpoints, EdgeHttp http) {
		this.endpoints = List.copyOf(endpoints);
		this.http = http;
	}

	@Override
	public boolean purgesByTag() {
		return false;
	}

	@Override
	public void purge(EdgePurger.Purge purge) {
		Set<String> urls = new LinkedHashSet<>(purge.urls());
		if (purge.isEverything()) {
			urls.add(EdgePurger.Purge.EVERYTHING_URL);
		}
		List<HttpRequest> requests = new ArrayList<>();
		for (URI endpoint : this.endpoints) {
			for (String url : urls) {
				requests.add(purgeRequest(endpoint, url).build());
				requests.add(purgeRequest(endpoint, url).header("Accept-Encoding", "gzip").build());
			}
		}
		List<EdgePurger.PurgeException> failures = new ArrayList<>();
		for (List<HttpRequest> window : EdgeHttp.batches(requests, CONCURRENCY)) {
			List<CompletableFuture<HttpResponse<String>>> responses = window.stream()
				.map(this.http::sendAsync)
				.toList();
			for (int i = 0; i < window.size(); i++) {
				EdgePurger.PurgeException failure = check(window.get(i), responses.get(i));
				if (failure != null) {
					failures.add(failure);
				}
			}
		}
		if (!failures.isEmpty()) {
			EdgePurger.PurgeException first = failures.get(0);
			throw new EdgePurger.PurgeException(failures.size() + " of " + requests.size()
					+ " nginx purges failed, the first: " + first.getMessage(), first);
		}
	}

	private EdgePurger.@Nullable PurgeException check(HttpRequest request,
			CompletableFuture<HttpResponse<String>> pending) {
		HttpResponse<String> response;
		try {
			response = pending.join();
		}
		catch (CompletionException ex) {
			return (ex.getCause() instanceof EdgePurger.PurgeException failure) ? failure
					: new EdgePurger.PurgeException("nginx purge " + request.uri() + " failed: " + ex.getCause(), ex);
		}
		int status = response.statusCode();
		if (status == 200 || (status == 404 && !request.uri().getRawPath().endsWith(EdgePurger.Purge.EVERYTHING_URL))) {
			return null;
		}
		if (status == 404) {
			return this.http.failure(request, response, "this cache purge module has no partial keys, so it cannot "
					+ "purge every page: nginx-modules/ngx_cache_purge 2.4 or later has them");
		}
		return this.http.failure(request, response, (status == 403)
				? "the address this application purges from is not allowed in nginx's purge location" : "");
	}

	/**
	 * The purge of one copy of a page at an endpoint: the identity copy, or the gzip copy
	 * with {@code Accept-Encoding: gzip}.
	 */
	private HttpRequest.Builder purgeRequest(URI endpoint, String url) {
		return this.http.request(target(endpoint, url)).method("PURGE", BodyPublishers.noBody());
	}

	/**
	 * The URL of a purge at an endpoint: the endpoint's scheme, host and port (a path of
	 * its own is kept as a prefix) with the page's path and query as they are.
	 */
	private static URI target(URI endpoint, String url) {
		String base = endpoint.toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + url);
	}

	@Override
	public String name() {
		return "nginx";
	}

}
