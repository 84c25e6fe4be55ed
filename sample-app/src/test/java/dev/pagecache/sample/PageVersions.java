package dev.pagecache.sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The ground truth of the workload benchmark: each page's content as a render that
 * bypasses the cache shows it, version after version, with the time each version became
 * the current one.
 *
 * @author pagecache
 */
final class PageVersions {

	private final Map<String, List<Version>> pages = new HashMap<>();

	/**
	 * Record a fresh render of a page.
	 * @param path the page
	 * @param content what the render showed
	 * @param nanos when it became current ({@link System#nanoTime()})
	 * @return whether the content differs from the page's current version, if it had one
	 */
	boolean record(String path, String content, long nanos) {
		List<Version> versions = this.pages.computeIfAbsent(path, (key) -> new ArrayList<>());
		if (!versions.isEmpty() && versions.get(versions.size() - 1).content().equals(content)) {
			return false;
		}
		versions.add(new Version(content, nanos));
		return versions.size() > 1;
	}

	/**
	 * Whether content is a page's current version.
	 * @param path the page
	 * @param content the content
	 * @return whether it is the last version recorded; {@code false} for a page never
	 * recorded
	 */
	boolean isCurrent(String path, String content) {
		List<Version> versions = this.pages.get(path);
		return versions != null && versions.get(versions.size() - 1).content().equals(content);
	}

	/**
	 * When content that is no longer current stopped being current.
	 * @param path the page
	 * @param content an old version's content
	 * @return when the next version replaced it, empty if it is current or was never seen
	 */
	OptionalLong outdatedSince(String path, String content) {
		List<Version> versions = this.pages.getOrDefault(path, List.of());
		for (int i = versions.size() - 2; i >= 0; i--) {
			if (versions.get(i).content().equals(content)) {
				return OptionalLong.of(versions.get(i + 1).since());
			}
		}
		return OptionalLong.empty();
	}

	private record Version(String content, long since) {

	}

}
