package dev.pagecache.edge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Failed purges waiting to be retried, one queue per purger, oldest first. A queue that
 * grows past {@value #MAX_LENGTH} purges is replaced by one purge of every page, so that
 * an edge down for long costs a bounded queue and one full purge when it is back.
 *
 * @author pagecache
 */
interface EdgePurgeQueue {

	/** The longest a queue grows before it is replaced by one purge of every page. */
	int MAX_LENGTH = 1000;

	/**
	 * Queue a purge.
	 * @param purger the purger's name
	 * @param purge the purge
	 */
	void add(String purger, EdgePurger.Purge purge);

	/**
	 * The oldest queued purge, left in the queue.
	 * @param purger the purger's name
	 * @return the purge, or {@code null} if none is queued
	 */
	EdgePurger.@Nullable Purge peek(String purger);

	/**
	 * Remove a purge that was retried successfully.
	 * @param purger the purger's name
	 * @param purge the purge {@link #peek} returned
	 */
	void remove(String purger, EdgePurger.Purge purge);

	/**
	 * The number of queued purges.
	 * @param purger the purger's name
	 * @return the number
	 */
	long size(String purger);

	/**
	 * A purge as one line of text: {@code t <token>} and {@code u <url>}, separated by
	 * newlines (neither tokens nor URLs hold one).
	 * @param purge the purge
	 * @return the text
	 */
	static String encode(EdgePurger.Purge purge) {
		List<String> lines = new ArrayList<>();
		purge.tags().stream().sorted().forEach((token) -> lines.add("t " + token));
		purge.urls().stream().sorted().forEach((url) -> lines.add("u " + url));
		return String.join("\n", lines);
	}

	/**
	 * A purge from its text.
	 * @param text what {@link #encode} wrote
	 * @return the purge
	 */
	static EdgePurger.Purge decode(String text) {
		Set<String> tags = new LinkedHashSet<>();
		Set<String> urls = new LinkedHashSet<>();
		for (String line : text.split("\n")) {
			if (line.startsWith("t ")) {
				tags.add(line.substring(2));
			}
			else if (line.startsWith("u ")) {
				urls.add(line.substring(2));
			}
		}
		return new EdgePurger.Purge(tags, urls);
	}

}
