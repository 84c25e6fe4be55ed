package dev.pagecache.actuate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.pagecache.PageTags;
import dev.pagecache.actuate.PageCacheEndpoint.PageDetailDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.PageKeyDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.StoredPagesDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TagDescriptor;
import dev.pagecache.actuate.PageCacheEndpoint.TaggedPagesDescriptor;
import dev.pagecache.metrics.PageStatistics;
import dev.pagecache.metrics.StatisticsSnapshot;
import dev.pagecache.store.PageStore;
import dev.pagecache.store.PageStore.PageCount;

/**
 * The pages that carry tags right now, read from the store's indexes at a bounded cost:
 * per tag one count ({@link PageStore#countTagged(String)}, which estimates past a
 * sample) and, for a reader who may see keys, at most {@value #MAX_KEYS_PER_TAG} keys;
 * per route at most {@value #MAX_PAGES_PER_ROUTE} keys with their tags (one more read for
 * all of them), and one route's statistics with them. A response says when it shows fewer
 * pages than there are.
 *
 * @author pagecache
 */
final class PageListing {

	/** The most page keys a tag lists, for an authenticated reader. */
	static final int MAX_KEYS_PER_TAG = 100;

	/** The most pages of a route listed with their tags, for an authenticated reader. */
	static final int MAX_PAGES_PER_ROUTE = 50;

	private final PageStore store;

	PageListing(PageStore store) {
		this.store = store;
	}

	/**
	 * How many pages carry each tag and, for a reader who sees keys, which.
	 * @param tags the tags
	 * @param reader who reads them
	 * @return the counts and keys
	 */
	TaggedPagesDescriptor tagged(List<String> tags, EndpointReader reader) {
		List<TagDescriptor> counts = new ArrayList<>();
		Set<String> keys = new LinkedHashSet<>();
		boolean truncated = false;
		for (String tag : tags) {
			PageCount count = this.store.countTagged(tag);
			counts.add(new TagDescriptor(tag, count.entries(), count.estimated()));
			if (reader.seesKeys()) {
				List<String> tagged = this.store.keysTagged(tag, MAX_KEYS_PER_TAG + 1);
				truncated |= tagged.size() > MAX_KEYS_PER_TAG || count.entries() > tagged.size();
				keys.addAll(tagged.subList(0, Math.min(tagged.size(), MAX_KEYS_PER_TAG)));
			}
			else {
				truncated |= count.entries() > MAX_KEYS_PER_TAG;
			}
		}
		return new TaggedPagesDescriptor(counts, reader.seesKeys() ? List.copyOf(keys) : null, MAX_KEYS_PER_TAG,
				truncated);
	}

	/**
	 * One page's statistics, on this instance and in the fleet, and some of its pages.
	 * @param page the route's URL pattern
	 * @param source the statistics
	 * @param counts the number of pages of each route
	 * @param reader who reads them
	 * @return the page, or {@code null} if neither this instance nor the fleet has
	 * statistics of it
	 */
	@Nullable PageDetailDescriptor page(String page, StatisticsSource source, EntryCounts counts, EndpointReader reader) {
		StatisticsSnapshot instance = source.instance();
		StatisticsSnapshot fleet = source.fleet();
		PageStatistics onInstance = instance.page(page);
		PageStatistics inFleet = (fleet != null) ? fleet.page(page) : null;
		if (onInstance == null && inFleet == null) {
			return null;
		}
		PageCount entries = counts.read(Map.of(page, EntryCounts.changeStamps(instance, fleet).get(page))).get(page);
		return new PageDetailDescriptor(page,
				Descriptors.page((onInstance != null) ? onInstance : PageStatistics.empty(page), entries),
				(inFleet != null) ? Descriptors.page(inFleet, entries) : null, stored(page, entries, reader));
	}

	/**
	 * Some pages of a route with their tags, for a reader who sees keys.
	 * @param route the route's URL pattern
	 * @param entries the number of pages of the route, if known
	 * @param reader who reads them
	 * @return the pages, or {@code null} for a reader who does not see keys
	 */
	@Nullable StoredPagesDescriptor stored(String route, @Nullable PageCount entries, EndpointReader reader) {
		if (!reader.seesKeys()) {
			return null;
		}
		List<String> keys = this.store.keysTagged(PageTags.route(route), MAX_PAGES_PER_ROUTE + 1);
		List<String> listed = keys.subList(0, Math.min(keys.size(), MAX_PAGES_PER_ROUTE));
		Map<String, List<String>> tags = this.store.tagsOf(listed);
		List<PageKeyDescriptor> pages = new ArrayList<>();
		for (String key : listed) {
			pages.add(new PageKeyDescriptor(key, tags.getOrDefault(key, List.of())));
		}
		boolean truncated = keys.size() > MAX_PAGES_PER_ROUTE || (entries != null && entries.entries() > listed.size());
		return new StoredPagesDescriptor(pages, MAX_PAGES_PER_ROUTE, truncated);
	}

}
