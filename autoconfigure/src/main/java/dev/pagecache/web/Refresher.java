package dev.pagecache.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageStore;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;

/**
 * Renders hot pages again after an invalidation dropped them, before readers ask: each is
 * requested from the application itself, as an anonymous reader would request it
 * ({@link RefreshRequest}), with this instance's {@link RefreshMarker}, and the page
 * cache stores the render as it stores any. One thread sends the refreshes, hottest
 * first, as fast as the {@link RefreshLimiter} allows; pages wait in a bounded queue, in
 * which a page dropped again keeps one place, and from which the coldest page goes when
 * it is full.
 * <p>
 * A refresh is a render like any other: a write that races it makes the store refuse it,
 * a page Security refuses to anonymous readers is not stored, and a page whose key the
 * refresh does not reproduce is stored under the key it does produce, never under the
 * dropped one.
 *
 * @author pagecache
 */
final class Refresher implements PageStore.RefreshListener, SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(Refresher.class);

	/**
	 * The lowest score of a page warmed: every page the hot list keeps (it drops those
	 * under one half), since a page read once in a half-life is still read again sooner
	 * than a page never read.
	 */
	private static final double WARMED_SCORE = 0.5;

	private final PageRoutes routes;

	private final RefreshLimiter limiter;

	private final RefreshMarker marker;

	private final PageStore store;

	private final Settings settings;

	/** Pages waiting, with their scores; guarded by this. */
	private final Map<String, Double> waiting = new HashMap<>();

	private final RefreshCounts counts;

	private final AtomicBoolean tlsLogged = new AtomicBoolean();

	private volatile boolean refreshing;

	private final Environment environment;

	/** Reserved pages, refreshed before the others; guarded by this. */
	private final Deque<String> reserved = new ArrayDeque<>();

	private final ScheduledExecutorService cancels = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "pagecache-refresh-reservations");
		thread.setDaemon(true);
		return thread;
	});

	private volatile SingleFlight flights = SingleFlight.OFF;

	private volatile @Nullable InetSocketAddress target;

	private volatile @Nullable Thread worker;

	/**
	 * Create a refresher.
	 * @param store the store, whose hot list is warmed from
	 * @param routes the routes, which tell which headers a page's key holds
	 * @param limiter how fast refreshes may go
	 * @param marker the marker of this instance's refreshes
	 * @param settings the refresher's settings
	 * @param environment the environment, which has the server's port once it runs
	 */
	Refresher(PageStore store, PageRoutes routes, RefreshLimiter limiter, RefreshMarker marker, Settings settings,
			Environment environment) {
		this.store = store;
		this.routes = routes;
		this.limiter = limiter;
		this.marker = marker;
		this.settings = settings;
		this.counts = new RefreshCounts(settings.maxQueue());
		this.environment = environment;
	}

	/**
	 * Reserve renders in the single flight of the page cache filter.
	 * @param flights the filter's single flight
	 */
	void useSingleFlight(SingleFlight flights) {
		this.flights = flights;
	}

	/**
	 * The marker of this instance's refreshes.
	 * @return the marker
	 */
	RefreshMarker marker() {
		return this.marker;
	}

	@Override
	public synchronized void hotPagesDropped(List<PageStore.HotPage> pages) {
		boolean reserving = !this.limiter.backsOff();
		for (int i = 0; i < pages.size(); i++) {
			String key = pages.get(i).key();
			if (this.reserved.contains(key)) {
				continue;
			}
			if (reserving && i < this.settings.reserve() && this.flights.reserve(key)) {
				this.reserved.add(key);
				this.cancels.schedule(() -> this.flights.cancel(key), this.settings.reservationTimeout().toNanos(),
						TimeUnit.NANOSECONDS);
			}
			else {
				this.waiting.merge(key, pages.get(i).requests(), Math::max);
			}
		}
		enforceBound();
		notifyAll();
	}

	/**
	 * Warm the cache after a clear: the hottest pages of the hot list, which a clear
	 * leaves as it was, are refreshed.
	 */
	@Override
	public void cleared() {
		if (this.settings.warmOnClear()) {
			warm();
		}
	}

	/**
	 * Warm the cache once the application is ready, from the hot list that the instances
	 * before it left in the store: pages still stored cost a lookup each.
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.settings.warmOnStart()) {
			warm();
		}
	}

	private void warm() {
		List<PageStore.HotPage> hottest;
		try {
			hottest = this.store.hottest(this.settings.maxQueue(), WARMED_SCORE);
		}
		catch (RuntimeException ex) {
			logger.debug("The hot list cannot be read; nothing is warmed: " + ex.getMessage());
			return;
		}
		synchronized (this) {
			for (PageStore.HotPage page : hottest) {
				this.waiting.merge(page.key(), page.requests(), Math::max);
			}
			this.counts.warmed(hottest.size());
			enforceBound();
			notifyAll();
		}
	}

	private void enforceBound() {
		while (this.waiting.size() > this.settings.maxQueue()) {
			this.waiting.remove(coldest());
			this.counts.overflowed();
		}
	}

	/**
	 * Count a reader's request for a page (called off the request's thread, by the
	 * sampler that counts demand): the first one after the page was refreshed is a render
	 * the refresh saved a reader.
	 * @param key the page's key
	 */
	void requested(String key) {
		this.counts.requested(key);
	}

	/**
	 * The figures of the refreshes so far.
	 * @return the figures
	 */
	Figures figures() {
		synchronized (this) {
			return this.counts.figures(this.waiting.size() + this.reserved.size(), this.refreshing,
					this.limiter.share());
		}
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::run, "pagecache-refresh");
		thread.setDaemon(true);
		this.worker = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread = this.worker;
		this.worker = null;
		if (thread != null) {
			thread.interrupt();
		}
		this.cancels.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	private void run() {
		try {
			while (this.worker == Thread.currentThread()) {
				String key = next();
				for (long wait = this.limiter.nanosUntilStart(); wait > 0; wait = this.limiter.nanosUntilStart()) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				this.refreshing = true;
				try {
					refresh(key);
				}
				finally {
					this.refreshing = false;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized String next() throws InterruptedException {
		while (this.waiting.isEmpty() && this.reserved.isEmpty()) {
			wait();
		}
		if (!this.reserved.isEmpty()) {
			return this.reserved.poll();
		}
		String hottest = null;
		double best = Double.NEGATIVE_INFINITY;
		for (Map.Entry<String, Double> page : this.waiting.entrySet()) {
			if (page.getValue() > best) {
				hottest = page.getKey();
				best = page.getValue();
			}
		}
		this.waiting.remove(hottest);
		return hottest;
	}

	private String coldest() {
		String coldest = null;
		double worst = Double.POSITIVE_INFINITY;
		for (Map.Entry<String, Double> page : this.waiting.entrySet()) {
			if (page.getValue() < worst) {
				coldest = page.getKey();
				worst = page.getValue();
			}
		}
		return coldest;
	}

	private void refresh(String key) {
		InetSocketAddress address = target();
		RefreshRequest request = (address != null) ? request(key) : null;
		if (request == null) {
			this.counts.notReplayable();
			return;
		}
		long started = System.nanoTime();
		// readers who ask from now on are served what the refresh stores, if it does
		this.counts.started(key);
		try {
			int status = request.send(address, "http", RefreshMarker.HEADER, this.marker.value(),
					this.settings.timeout());
			if (status / 100 != 2) {
				this.counts.failed(key);
			}
		}
		catch (IOException ex) {
			this.counts.failed(key);
			logger.debug("Refresh of " + key + " failed: " + ex.getMessage());
		}
		finally {
			this.limiter.finished(System.nanoTime() - started, 0, false);
		}
	}

	/**
	 * Count a page a refresh rendered and stored (called by the page cache filter, on the
	 * refresh's request thread).
	 * @param key the page's key
	 */
	void stored(String key) {
		this.counts.stored();
	}

	/**
	 * Where this instance's server listens, on loopback, once it runs.
	 */
	private @Nullable InetSocketAddress target() {
		InetSocketAddress address = this.target;
		if (address == null) {
			if (this.environment.getProperty("server.ssl.enabled", Boolean.class, false)
					|| this.environment.containsProperty("server.ssl.bundle")) {
				if (this.tlsLogged.compareAndSet(false, true)) {
					logger.info("Refresh-ahead renders nothing: the server speaks TLS only (server.ssl.*), and "
							+ "refreshes are plain HTTP requests to it on loopback");
				}
				return null;
			}
			Integer port = this.environment.getProperty("local.server.port", Integer.class);
			address = (port != null && port > 0) ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port) : null;
			this.target = address;
		}
		return address;
	}

	/**
	 * The request that renders a page again, or {@code null} if its key cannot be
	 * replayed or no route serves it any more.
	 */
	private @Nullable RefreshRequest request(String key) {
		String uri = RefreshRequest.path(key);
		String contextPath = this.environment.getProperty("server.servlet.context-path", "");
		PageRoute route = (uri != null) ? this.routes.match(uri, contextPath) : null;
		return (route != null) ? RefreshRequest.of(key, route.varyHeaders()) : null;
	}

	/**
	 * The figures of the refreshes.
	 *
	 * @param queued pages waiting to be refreshed
	 * @param refreshing whether a refresh is under way
	 * @param refreshed pages a refresh rendered and stored
	 * @param requestedAfter refreshes a reader asked for the page of once it had started:
	 * renders the refreshes saved readers (from the sampled demand, so approximate)
	 * @param failed refreshes answered with an error status, or not at all
	 * @param notReplayable pages whose key could not be made into a request (or dropped
	 * before the server ran)
	 * @param overflowed pages dropped from a full queue
	 * @param warmed pages queued to warm the cache after a clear or at start-up
	 * @param share the share of the processors refreshes may use now
	 */
	record Figures(int queued, boolean refreshing, long refreshed, long requestedAfter, long failed, long notReplayable,
			long overflowed, long warmed, double share) {

	}

	/**
	 * How a refresher works.
	 *
	 * @param maxQueue the most pages waiting
	 * @param timeout the longest a refresh may take
	 * @param reserve how many pages of each invalidation are reserved
	 * @param reservationTimeout how long a reservation waits for its refresh
	 * @param warmOnClear whether a clear warms the hottest pages again
	 * @param warmOnStart whether the application warms the hottest pages once ready
	 */
	record Settings(int maxQueue, Duration timeout, int reserve, Duration reservationTimeout, boolean warmOnClear,
			boolean warmOnStart) {

	}

}
