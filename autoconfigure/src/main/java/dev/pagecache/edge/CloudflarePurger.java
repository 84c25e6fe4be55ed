package dev.pagecache.edge;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Purges Cloudflare through its API: {@code POST /zones/{zone_id}/purge_cache} with the
 * API token as {@code Authorization: Bearer}, and a JSON body of {@code {"tags": [...]}}
 * (the pages carry their tag tokens in {@code Cache-Tag}) or {@code {"files": [...]}}
 * (full URLs: the site URL and each page's path and query), at most 100 operations a
 * request, the documented limit of every plan ({@code pagecache.edge.cloudflare.
 * max-items-per-request} lowers it). A purge of everything by files is
 * {@code {"purge_everything": true}}. Cloudflare answers {@code {"success": true, ...}};
 * anything else fails the purge.
 * <p>
 * Cloudflare limits purges per account with token buckets (tags and prefixes: from 5
 * requests a minute on the Free plan; single files: from 800 URLs a second) and its whole
 * API to 1,200 requests in five minutes; over a limit it answers
 * {@code 429 Too Many Requests}, which {@link EdgeHttp} obeys.
 *
 * @author pagecache
 * @see <a href="https://developers.cloudflare.com/cache/how-to/purge-cache/">Cloudflare:
 * purge cache, purge limits</a>
 * @see <a href=
 * "https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/">Cloudflare:
 * purge cache by cache-tags</a>
 * @see <a href=
 * "https://developers.cloudflare.com/api/go/resources/cache/methods/purge">Cloudflare
 * API: purge cached content</a>
 * @see <a href=
 * "https://developers.cloudflare.com/fundamentals/api/reference/limits/">Cloudflare API:
 * rate limits</a>
 */
final class CloudflarePurger implements EdgePurger {

	/** The most tags or files Cloudflare documents for one purge request. */
	static final int MAX_ITEMS_PER_REQUEST = 100;

	private static final Pattern SUCCESS = Pattern.compile("\"success\"\\s*:\\s*true");

	private final URI endpoint;

	private final String apiToken;

	private final String siteUrl;

	private final boolean byTags;

	private final int maxItemsPerRequest;

	private final EdgeHttp http;

	/**
	 * A purger of one Cloudflare zone.
	 * @param baseUrl the API's base URL, without a trailing slash
	 * @param zoneId the zone
	 * @param apiToken a token with the Cache Purge permission on the zone
	 * @param siteUrl the site's scheme, host and port, for file purges
	 * @param byTags whether pages carry their tags in Cache-Tag
	 * @param maxItemsPerRequest the most tags or files in one request
	 * @param http the client
	 */
	CloudflarePurger(String baseUrl, String zoneId, String apiToken, URI siteUrl, boolean byTags,
			int maxItemsPerRequest, EdgeHttp http) {
		this.endpoint = URI.create(baseUrl + "/zones/" + zoneId + "/purge_cache");
		this.apiToken = apiToken;
		String site = siteUrl.toString();
		this.siteUrl = site.endsWith("/") ? site.substring(0, site.length() - 1) : site;
		this.byTags = byTags;
		this.maxItemsPerRequest = maxItemsPerRequest;
		this.http = http;
	}

	@Override
	public boolean purgesByTag() {
		return this.byTags;
	}

	@Override
	public void purge(EdgePurger.Purge purge) {
		if (purge.isEverything()) {
			purgeEverything();
			return;
		}
		for (List<String> tags : EdgeHttp.batches(purge.tags(), this.maxItemsPerRequest)) {
			send("{\"tags\":" + EdgeHttp.jsonArray(tags) + "}");
		}
		List<String> files = new ArrayList<>();
		for (String url : purge.urls()) {
			files.add(this.siteUrl + url);
		}
		for (List<String> batch : EdgeHttp.batches(files, this.maxItemsPerRequest)) {
			send("{\"files\":" + EdgeHttp.jsonArray(batch) + "}");
		}
	}

	/**
	 * Every page: by its all-pages tag where pages carry tags (a tag purge, cheaper than
	 * Cloudflare's purge of the whole zone, which would also drop what pagecache did not
	 * cache), else the whole zone.
	 */
	private void purgeEverything() {
		if (this.byTags) {
			Set<String> tags = new LinkedHashSet<>(List.of(EdgePurger.Purge.token(EdgePurger.Purge.ALL_PAGES_TAG)));
			send("{\"tags\":" + EdgeHttp.jsonArray(tags) + "}");
		}
		else {
			send("{\"purge_everything\":true}");
		}
	}

	private void send(String body) {
		HttpRequest request = this.http.request(this.endpoint)
			.header("Authorization", "Bearer " + this.apiToken)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build();
		HttpResponse<String> response = this.http.send(request);
		if (response.statusCode() != 200 || !SUCCESS.matcher(response.body()).find()) {
			throw this.http.failure(request, response, hint(response.statusCode()));
		}
	}

	private static String hint(int status) {
		return switch (status) {
			case 401, 403 ->
				"check pagecache.edge.cloudflare.api-token: it needs the Cache Purge permission on the zone";
			case 404 -> "check pagecache.edge.cloudflare.zone-id";
			default -> "";
		};
	}

	@Override
	public String name() {
		return "cloudflare";
	}

}
