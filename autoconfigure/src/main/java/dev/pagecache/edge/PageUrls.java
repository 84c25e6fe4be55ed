package dev.pagecache.edge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageStore;

/**
 * The URLs, path and query, under which an edge may hold pages, read from the page keys
 * of the store's index ({@code GET scheme://host:port/path?query}). A key that holds more
 * than a URL (a locale, a header, a digest) names a page that was never shared with an
 * edge, which only shares pages whose URL is their key's.
 *
 * @author pagecache
 */
final class PageUrls {

	private PageUrls() {
	}

	/**
	 * The URL of a page key.
	 * @param key the key
	 * @return the path and query, or {@code null} if the key holds more than a URL
	 */
	static @Nullable String of(String key) {
		if (!key.startsWith("GET ") || key.indexOf(' ', 4) >= 0 || key.contains("...#")) {
			return null;
		}
		int scheme = key.indexOf("://", 4);
		int start = (scheme >= 0) ? key.indexOf('/', scheme + 3) : -1;
		return (start >= 0) ? key.substring(start) : null;
	}

	/**
	 * The URLs of the pages that carry any of the tags.
	 * @param store the store
	 * @param tags the tags
	 * @return the URLs
	 * @throws RuntimeException if the store cannot be read
	 */
	static Set<String> tagged(PageStore store, Collection<String> tags) {
		Set<String> urls = new LinkedHashSet<>();
		for (String tag : tags) {
			addAll(urls, store.keysTagged(tag));
		}
		return urls;
	}

	/**
	 * The URLs of the pages that carry any of the tags and were not given a tag header
	 * (their tokens did not fit), which edges that purge by tag must purge by URL.
	 * @param store the store
	 * @param tags the tags
	 * @return the URLs, usually none, at the cost of one read of the store
	 * @throws RuntimeException if the store cannot be read
	 */
	static Set<String> taggedWithoutTagHeader(PageStore store, Collection<String> tags) {
		Set<String> untagged = new LinkedHashSet<>(store.keysTagged(EdgePurger.Purge.PURGED_BY_URL_TAG));
		if (untagged.isEmpty()) {
			return Set.of();
		}
		Set<String> urls = new LinkedHashSet<>();
		for (String tag : tags) {
			List<String> keys = store.keysTagged(tag);
			addAll(urls, keys.stream().filter(untagged::contains).toList());
		}
		return urls;
	}

	/**
	 * The URLs of every page in the store's index that an edge may hold: those stored
	 * with the edge on carry {@link EdgePurger.Purge#ALL_PAGES_TAG} in the store too.
	 * @param store the store
	 * @return the URLs
	 * @throws RuntimeException if the store cannot be read
	 */
	static Set<String> all(PageStore store) {
		return tagged(store, List.of(EdgePurger.Purge.ALL_PAGES_TAG));
	}

	/**
	 * A purge split so that each part holds at most so many URLs, the tags with the
	 * first.
	 * @param purge the purge
	 * @param maxUrls the most URLs in one part
	 * @return the parts, the purge itself if it is small enough
	 */
	static List<EdgePurger.Purge> batches(EdgePurger.Purge purge, int maxUrls) {
		if (purge.urls().size() <= maxUrls) {
			return List.of(purge);
		}
		List<EdgePurger.Purge> batches = new ArrayList<>();
		Set<String> tags = purge.tags();
		List<String> urls = new ArrayList<>(purge.urls());
		for (int start = 0; start < urls.size(); start += maxUrls) {
			Set<String> batch = new LinkedHashSet<>(urls.subList(start, Math.min(urls.size(), start + maxUrls)));
			batches.add(new EdgePurger.Purge(tags, batch));
			tags = Set.of();
		}
		return batches;
	}

	/**
	 * Add the URLs of page keys.
	 * @param urls where to add them
	 * @param keys the keys, those that hold more than a URL left out
	 */
	static void addAll(Set<String> urls, List<String> keys) {
		for (String key : keys) {
			String url = of(key);
			if (url != null) {
				urls.add(url);
			}
		}
	}

}
