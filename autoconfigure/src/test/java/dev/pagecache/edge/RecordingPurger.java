package dev.pagecache.edge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An edge that records its purges and can fail a number of them.
 *
 * @author pagecache
 */
final class RecordingPurger implements EdgePurger {

	final List<EdgePurger.Purge> purges = new CopyOnWriteArrayList<>();

	final AtomicInteger failures = new AtomicInteger();

	/** Like nginx's purge module without partial keys: a wildcard purges nothing. */
	volatile boolean failEverything;

	private final String name;

	private final boolean byTag;

	RecordingPurger(String name, boolean byTag) {
		this.name = name;
		this.byTag = byTag;
	}

	@Override
	public boolean purgesByTag() {
		return this.byTag;
	}

	@Override
	public void purge(EdgePurger.Purge purge) {
		if (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
			throw new EdgePurger.PurgeException("edge down");
		}
		if (this.failEverything && purge.urls().contains(EdgePurger.Purge.EVERYTHING_URL)) {
			throw new EdgePurger.PurgeException("no partial keys");
		}
		this.purges.add(purge);
	}

	@Override
	public String name() {
		return this.name;
	}

}
