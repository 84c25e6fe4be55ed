package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.pagecache.store.PageStoreUnavailableException;

/**
 * The writer's side of invariant F1 with near caches: after an invalidation or a clear,
 * wait until every registered near cache has acknowledged it, or its registration has
 * expired (after which it serves nothing until it has caught up). The registrations may
 * be lost like any key (a Redis that evicts); a writer with a near cache of its own then
 * waits as long as a near cache missing from them may still serve (see
 * {@link #await(List, String, AppliedCheck, Duration, boolean)}). A writer without one
 * takes the registrations as complete. The near cache of this instance is asked directly;
 * the others through {@code {ns}:near-cache:acknowledged}, polled with a growing pause.
 *
 * @author pagecache
 */
final class AcknowledgementWait {

	/** Where the server's time is in a script's reply. */
	private static final int SERVER_TIME = 4;

	/** Where the time the registrations began is in a script's reply. */
	private static final int REGISTRATIONS_CREATED = 5;

	/** Where the registrations start in a script's reply. */
	private static final int FIRST_REGISTRATION = 6;

	private static final long LONGEST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private final Function<byte[][], List<byte @Nullable []>> readApplied;

	/**
	 * Create a wait.
	 * @param readApplied reads the acknowledgements of near caches by name
	 * ({@code HMGET}), or throws {@link PageStoreUnavailableException}
	 */
	AcknowledgementWait(Function<byte[][], List<byte @Nullable []>> readApplied) {
		this.readApplied = readApplied;
	}

	/**
	 * Wait for the near caches of a script's reply.
	 * @param reply a count, the counter value, the epoch, the report of the deleted pages
	 * ({@code invalidate.lua}; empty for {@code clear.lua}), the server's time in
	 * milliseconds, when the registrations began on the server's clock (0 when there are
	 * none), then each registered near cache's name and registration expiry on the
	 * server's clock
	 * @param local the near cache of this instance, if any
	 */
	void await(List<Object> reply, @Nullable RedisNearCache local) {
		if (local != null) {
			await(reply, local.getName(), local::hasApplied, local.getRegistration(), local.isTrusted());
		}
		else {
			await(reply, null, (sequence, epoch) -> true, Duration.ZERO, false);
		}
	}

	/**
	 * Wait for the near caches of a script's reply. Where the registrations may be
	 * incomplete, wait also until every near cache missing from them has either
	 * registered since (and is waited for) or stopped serving, one registration after it
	 * last could have renewed it: while no registrations are left (they were lost) but
	 * this instance's near cache has registered, one registration from now; while they
	 * are younger than one registration (begun by the first heartbeat after a loss, or
	 * after start-up), until they are one registration old.
	 * @param reply the script's reply
	 * @param localName the name of this instance's near cache, if any
	 * @param local whether this instance's near cache has applied an invalidation
	 * @param registration the near caches' registration, zero when this instance has no
	 * near cache (then the registrations are taken as complete)
	 * @param registered whether this instance's near cache has registered (it is trusted)
	 */
	void await(List<Object> reply, @Nullable String localName, AppliedCheck local, Duration registration,
			boolean registered) {
		long start = System.nanoTime();
		long sequence = (Long) reply.get(1);
		String epoch = new String((byte[]) reply.get(2), StandardCharsets.UTF_8);
		long serverTime = (Long) reply.get(SERVER_TIME);
		long created = (Long) reply.get(REGISTRATIONS_CREATED);
		List<byte[]> names = new ArrayList<>();
		List<Long> deadlines = new ArrayList<>();
		for (int i = FIRST_REGISTRATION; i + 1 < reply.size(); i += 2) {
			byte[] name = (byte[]) reply.get(i);
			long deadline = start + TimeUnit.MILLISECONDS.toNanos((Long) reply.get(i + 1) - serverTime);
			if (localName != null && localName.equals(new String(name, StandardCharsets.UTF_8))) {
				awaitLocal(local, sequence, epoch, deadline);
			}
			else {
				names.add(name);
				deadlines.add(deadline);
			}
		}
		awaitOthers(names, deadlines, sequence, epoch);
		if (!registration.isZero()) {
			long complete = (created != 0) ? created + registration.toMillis() - serverTime
					: (registered ? registration.toMillis() : 0);
			sleepUntil(start + TimeUnit.MILLISECONDS.toNanos(complete));
		}
	}

	private static void sleepUntil(long deadline) {
		for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
			LockSupport.parkNanos(left);
		}
	}

	private static void awaitLocal(AppliedCheck local, long sequence, String epoch, long deadline) {
		long pause = TimeUnit.MICROSECONDS.toNanos(50);
		while (!local.hasApplied(sequence, epoch) && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(pause);
			pause = Math.min(pause * 2, LONGEST_POLL_NANOS);
		}
	}

	private void awaitOthers(List<byte[]> names, List<Long> deadlines, long sequence, String epoch) {
		long pause = TimeUnit.MICROSECONDS.toNanos(100);
		while (!names.isEmpty()) {
			List<byte @Nullable []> applied;
			try {
				applied = this.readApplied.apply(names.toArray(new byte[0][]));
			}
			catch (PageStoreUnavailableException ex) {
				return; // the near caches cannot renew their registrations either
			}
			long now = System.nanoTime();
			for (int i = names.size() - 1; i >= 0; i--) {
				Acknowledgement acknowledgement = Acknowledgement.parse(applied.get(i));
				if ((acknowledgement != null && acknowledgement.covers(sequence, epoch))
						|| now - deadlines.get(i) >= 0) {
					names.remove(i);
					deadlines.remove(i);
				}
			}
			if (!names.isEmpty()) {
				LockSupport.parkNanos(pause);
				pause = Math.min(pause * 2, LONGEST_POLL_NANOS);
			}
		}
	}

	/**
	 * Whether a near cache has applied an invalidation.
	 */
	@FunctionalInterface
	interface AppliedCheck {

		boolean hasApplied(long sequence, String epoch);

	}

}
