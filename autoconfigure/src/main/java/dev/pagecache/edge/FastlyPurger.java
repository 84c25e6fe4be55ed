package dev.pagecache.edge;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Purges Fastly through its API, with the API token in {@code Fastly-Key}. Where pages
 * carry their tag tokens in {@code Surrogate-Key} ({@code pagecache.edge.tag-header=
 * surrogate-key}), tag tokens by surrogate key in batches of at most 256 keys
 * ({@code POST /service/{service_id}/purge} with {@code {"surrogate_keys": [...]}}) and
 * the URLs of pages whose tags did not fit in the header one by one ({@code POST
 * /purge/{host}{path}}); otherwise every page by URL. Every page carries the token of
 * {@link EdgePurger.Purge#ALL_PAGES_TAG}, so a purge of everything is a purge of that
 * key; without keys it is Fastly's purge-all ({@code POST
 * /service/{service_id}/purge_all}, never soft, and counted against the API's rate
 * limit).
 * <p>
 * With soft purge on, {@code Fastly-Soft-Purge: 1} marks the copies stale instead of
 * removing them: a service that allows stale content (stale-while-revalidate,
 * stale-if-error) may then serve a purged page once more. Surrogate-key and URL purges do
 * not count against Fastly's API rate limit of 1,000 requests an hour, but a
 * {@code 429 Too Many Requests} is obeyed ({@link EdgeHttp}).
 *
 * @author pagecache
 * @see <a href="https://www.fastly.com/documentation/reference/api/purging/">Fastly API:
 * purging (batch of up to 256 surrogate keys, single URL, Fastly-Soft-Purge)</a>
 * @see <a href="https://docs.fastly.com/api/">Fastly API: rate limiting</a>
 * @see <a href=
 * "https://www.fastly.com/documentation/guides/full-site-delivery/purging/purging-with-surrogate-keys">Purging
 * with surrogate keys</a>
 */
final class FastlyPurger implements EdgePurger {

	/** The most surrogate keys Fastly purges in one batch request. */
	static final int MAX_KEYS_PER_REQUEST = 256;

	private final String baseUrl;

	private final String serviceId;

	private final String apiToken;

	private final String siteAuthority;

	private final boolean byKeys;

	private final boolean softPurge;

	private final EdgeHttp http;

	/**
	 * A purger of one Fastly service.
	 * @param baseUrl the API's base URL, without a trailing slash
	 * @param serviceId the service
	 * @param apiToken a token with the purge_select scope
	 * @param siteUrl the site's scheme, host and port, for URL purges
	 * @param byKeys whether pages carry their tag tokens in Surrogate-Key
	 * @param softPurge whether to mark copies stale instead of removing them
	 * @param http the client
	 */
	FastlyPurger(String baseUrl, String serviceId, String apiToken, URI siteUrl, boolean byKeys, boolean softPurge,
			EdgeHttp http) {
		this.baseUrl = baseUrl;
		this.serviceId = serviceId;
		this.apiToken = apiToken;
		this.siteAuthority = siteUrl.getRawAuthority();
		this.byKeys = byKeys;
		this.softPurge = softPurge;
		this.http = http;
	}

	@Override
	public boolean purgesByTag() {
		return this.byKeys;
	}

	@Override
	public void purge(EdgePurger.Purge purge) {
		if (purge.isEverything() && !this.byKeys) {
			send(request("/service/" + this.serviceId + "/purge_all", false).POST(BodyPublishers.noBody()).build());
			return;
		}
		Set<String> tags = new LinkedHashSet<>(purge.tags());
		if (purge.isEverything()) {
			// every page carries the all-pages key
			tags.add(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG));
		}
		for (List<String> keys : EdgeHttp.batches(tags, MAX_KEYS_PER_REQUEST)) {
			String body = "{\"surrogate_keys\":" + EdgeHttp.jsonArray(keys) + "}";
			send(request("/service/" + this.serviceId + "/purge", this.softPurge)
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString(body))
				.build());
		}
		if (purge.isEverything()) {
			return;
		}
		for (String url : purge.urls()) {
			send(request("/purge/" + this.siteAuthority + url.replace("%", "%25").replace("?", "%3F"), this.softPurge)
				.POST(BodyPublishers.noBody())
				.build());
		}
	}

	private HttpRequest.Builder request(String path, boolean soft) {
		HttpRequest.Builder request = this.http.request(URI.create(this.baseUrl + path))
			.header("Fastly-Key", this.apiToken)
			.header("Accept", "application/json");
		if (soft) {
			request.header("Fastly-Soft-Purge", "1");
		}
		return request;
	}

	private void send(HttpRequest request) {
		HttpResponse<String> response = this.http.send(request);
		if (response.statusCode() != 200) {
			throw this.http.failure(request, response, hint(response.statusCode()));
		}
	}

	private static String hint(int status) {
		return switch (status) {
			case 401, 403 -> "check pagecache.edge.fastly.api-token: it needs the purge_select scope on the service";
			case 404 -> "check pagecache.edge.fastly.service-id";
			default -> "";
		};
	}

	@Override
	public String name() {
		return "fastly";
	}

}
