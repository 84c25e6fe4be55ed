package dev.pagecache.edge;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The second purges of {@link EdgePurges}, each sent once, a delay after the first, on a
 * thread of their own (never behind a retry that waits for a slow edge), and at once when
 * the application stops rather than dropped.
 *
 * @param <T> what a purge sends
 * @author pagecache
 */
final class Repurges<T> {

	private static final Log logger = LogFactory.getLog(Repurges.class);

	private final Duration delay;

	private final Consumer<T> send;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "pagecache-edge-repurges");
		thread.setDaemon(true);
		return thread;
	});

	/** The second purges not sent yet, each once (by its task, or at shutdown). */
	private final Queue<T> pending = new ConcurrentLinkedQueue<>();

	Repurges(Duration delay, Consumer<T> send) {
		this.delay = delay;
		this.send = send;
	}

	/**
	 * Send a purge again after the delay; nothing when the delay is zero.
	 * @param purge what to send
	 */
	void schedule(T purge) {
		if (this.delay.isZero()) {
			return;
		}
		this.pending.add(purge);
		try {
			this.scheduler.schedule(() -> {
				if (this.pending.remove(purge)) {
					this.send.accept(purge);
				}
			}, this.delay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			// stopping: sent by stop()
			logger.debug("Repurge not scheduled: " + ex.getMessage());
		}
	}

	/**
	 * Send the second purges still waiting at once: the writes of the last moments may
	 * have responses of other instances on their way to the edge.
	 */
	void stop() {
		this.scheduler.shutdownNow();
		for (T purge = this.pending.poll(); purge != null; purge = this.pending.poll()) {
			this.send.accept(purge);
		}
	}

}
