package dev.pagecache.edge;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The queue of failed purges of an application with the in-memory page store, or the
 * fallback of the Redis queue while Redis cannot be reached: it lives as long as the
 * instance.
 *
 * @author pagecache
 */
final class InMemoryEdgePurgeQueue implements EdgePurgeQueue {

	private final Map<String, Deque<EdgePurger.Purge>> queues = new HashMap<>();

	@Override
	public synchronized void add(String purger, EdgePurger.Purge purge) {
		Deque<EdgePurger.Purge> queue = this.queues.computeIfAbsent(purger, (name) -> new ArrayDeque<>());
		if (queue.size() >= MAX_LENGTH) {
			queue.clear();
			purge = EdgePurger.Purge.everything();
		}
		queue.addLast(purge);
	}

	@Override
	public synchronized EdgePurger.@Nullable Purge peek(String purger) {
		Deque<EdgePurger.Purge> queue = this.queues.get(purger);
		return (queue != null) ? queue.peekFirst() : null;
	}

	@Override
	public synchronized void remove(String purger, EdgePurger.Purge purge) {
		Deque<EdgePurger.Purge> queue = this.queues.get(purger);
		if (queue != null) {
			queue.removeFirstOccurrence(purge);
		}
	}

	@Override
	public synchronized long size(String purger) {
		Deque<EdgePurger.Purge> queue = this.queues.get(purger);
		return (queue != null) ? queue.size() : 0;
	}

}
