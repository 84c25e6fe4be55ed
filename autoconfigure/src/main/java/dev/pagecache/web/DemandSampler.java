package dev.pagecache.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageStore;

import org.springframework.context.SmartLifecycle;

/**
 * Counts which pages this instance serves, off the request's way, and adds the counts to
 * the store's hot list now and then ({@link PageStore#addRequests(Map)}).
 * <p>
 * A request only puts its key (a reference, no copy) into a small ring buffer of its own
 * stripe (by thread): one compare-and-set of the stripe's write index and one ordered
 * write of the slot, no lock, no allocation. A full stripe drops the key, so counting is
 * exact at low rates and becomes sampling under load. A background thread drains the
 * buffers every {@value #DRAIN_MILLIS} ms into a bounded count per key (Space-Saving: at
 * most {@value #MAX_COUNTED} keys; when full, the least counted is replaced and its count
 * inherited), and every flush interval adds the {@value #MAX_FLUSHED} most counted to the
 * store and starts counting again. Digested keys are not counted: no request can be
 * rebuilt from them.
 *
 * @author pagecache
 */
final class DemandSampler implements SmartLifecycle {

	/** Counts nothing: for a filter without refresh-ahead. */
	static final DemandSampler OFF = new DemandSampler();

	static final long DRAIN_MILLIS = 100;

	static final int MAX_COUNTED = 2000;

	static final int MAX_FLUSHED = 200;

	private static final Log logger = LogFactory.getLog(DemandSampler.class);

	private final Stripe[] stripes;

	private final int stripeShift;

	private final @Nullable PageStore store;

	private final Duration flushInterval;

	/** Requests per key since the last flush; only the drain thread touches it. */
	private final Map<String, long[]> counts = new HashMap<>();

	private @Nullable ScheduledExecutorService drainer;

	private volatile Consumer<String> requestListener = (key) -> {
	};

	private DemandSampler() {
		this.stripes = new Stripe[0];
		this.stripeShift = 0;
		this.store = null;
		this.flushInterval = Duration.ZERO;
	}

	/**
	 * Create a sampler.
	 * @param store where counts go
	 * @param stripeSize how many keys one stripe holds between two drains (a power of two
	 * is used, at least this many)
	 * @param flushInterval how often counts are added to the store
	 */
	DemandSampler(PageStore store, int stripeSize, Duration flushInterval) {
		int count = Integer.highestOneBit(Math.min(63, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;
		this.stripes = new Stripe[count];
		for (int i = 0; i < count; i++) {
			this.stripes[i] = new Stripe(stripeSize);
		}
		this.stripeShift = 64 - Integer.numberOfTrailingZeros(count);
		this.store = store;
		this.flushInterval = flushInterval;
	}

	/**
	 * Tell a listener about every request counted, on the drain thread.
	 * @param requestListener receives the key of each request counted
	 */
	void setRequestListener(Consumer<String> requestListener) {
		this.requestListener = requestListener;
	}

	/**
	 * Count a request for a page, unless this thread's stripe is full.
	 * @param key the page key
	 */
	void record(String key) {
		Stripe[] all = this.stripes;
		if (all.length != 0) {
			// Fibonacci hashing of the thread id: consecutive ids land on different
			// stripes
			int stripe = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> this.stripeShift);
			all[stripe].offer(key);
		}
	}

	/**
	 * Move what the buffers hold into the counts. Called by the drain thread (or a test).
	 */
	synchronized void drain() {
		for (Stripe stripe : this.stripes) {
			stripe.drainTo(this::count);
		}
	}

	private void count(String key) {
		this.requestListener.accept(key);
		if (PageKeys.isDigested(key)) {
			return;
		}
		long[] counted = this.counts.get(key);
		if (counted != null) {
			counted[0]++;
			return;
		}
		long inherited = 0;
		if (this.counts.size() >= MAX_COUNTED) {
			Map.Entry<String, long[]> least = null;
			for (Map.Entry<String, long[]> entry : this.counts.entrySet()) {
				if (least == null || entry.getValue()[0] < least.getValue()[0]) {
					least = entry;
				}
			}
			this.counts.remove(least.getKey());
			inherited = least.getValue()[0];
		}
		this.counts.put(key, new long[] { inherited + 1 });
	}

	/**
	 * The most counted keys since the last flush, most first, and start counting again.
	 * @return at most {@value #MAX_FLUSHED} keys and their counts
	 */
	synchronized Map<String, Long> takeCounts() {
		List<Map.Entry<String, long[]>> entries = new ArrayList<>(this.counts.entrySet());
		entries.sort(Comparator.comparingLong((Map.Entry<String, long[]> entry) -> entry.getValue()[0]).reversed());
		Map<String, Long> top = new LinkedHashMap<>();
		for (Map.Entry<String, long[]> entry : entries.subList(0, Math.min(MAX_FLUSHED, entries.size()))) {
			top.put(entry.getKey(), entry.getValue()[0]);
		}
		this.counts.clear();
		return top;
	}

	/**
	 * Drain, then add the counts to the store; counts the store cannot take are lost.
	 */
	void flush() {
		drain();
		Map<String, Long> top = takeCounts();
		PageStore target = this.store;
		if (top.isEmpty() || target == null) {
			return;
		}
		try {
			target.addRequests(top);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not add " + top.size() + " pages' requests to the hot list", ex);
		}
	}

	@Override
	public synchronized void start() {
		if (this.drainer == null && this.stripes.length != 0) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "pagecache-demand");
				thread.setDaemon(true);
				return thread;
			});
			executor.scheduleWithFixedDelay(this::drain, DRAIN_MILLIS, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
			long flush = this.flushInterval.toMillis();
			executor.scheduleWithFixedDelay(this::flush, flush, flush, TimeUnit.MILLISECONDS);
			this.drainer = executor;
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		synchronized (this) {
			executor = this.drainer;
			this.drainer = null;
		}
		if (executor != null) {
			executor.shutdownNow();
			flush();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.drainer != null;
	}

	/**
	 * A ring buffer of keys with many writers (the threads of one stripe) and one reader
	 * (the drain), as Caffeine's read buffers: writers claim a slot by moving the write
	 * index, then publish the key; the reader stops at a slot not yet published.
	 */
	private static final class Stripe {

		private final AtomicReferenceArray<@Nullable String> slots;

		private final int mask;

		private final AtomicLong writes = new AtomicLong();

		/** Written by the reader only. */
		private final AtomicLong reads = new AtomicLong();

		Stripe(int size) {
			int capacity = Integer.highestOneBit(Math.max(1, size - 1)) << 1;
			this.slots = new AtomicReferenceArray<>(capacity);
			this.mask = capacity - 1;
		}

		void offer(String key) {
			// a few tries under contention; after that the key is dropped, as when full
			for (int attempt = 0; attempt < 3; attempt++) {
				long tail = this.writes.get();
				if (tail - this.reads.get() > this.mask) {
					return;
				}
				if (this.writes.compareAndSet(tail, tail + 1)) {
					this.slots.lazySet((int) tail & this.mask, key);
					return;
				}
			}
		}

		void drainTo(Consumer<String> consumer) {
			long head = this.reads.get();
			long tail = this.writes.get();
			for (; head < tail; head++) {
				int index = (int) head & this.mask;
				String key = this.slots.get(index);
				if (key == null) {
					break; // claimed, not yet published: the next drain takes it
				}
				this.slots.lazySet(index, null);
				consumer.accept(key);
			}
			this.reads.lazySet(head);
		}

	}

}
