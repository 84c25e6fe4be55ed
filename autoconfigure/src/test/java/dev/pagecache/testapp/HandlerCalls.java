package dev.pagecache.testapp;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test controller extends to count the calls of its handlers, by name.
 */
public abstract class HandlerCalls {

	private final ConcurrentHashMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	public int calls(String handler) {
		AtomicInteger count = this.calls.get(handler);
		return (count != null) ? count.get() : 0;
	}

	public void reset() {
		this.calls.clear();
	}

	protected int count(String handler) {
		return this.calls.computeIfAbsent(handler, (h) -> new AtomicInteger()).incrementAndGet();
	}

}
