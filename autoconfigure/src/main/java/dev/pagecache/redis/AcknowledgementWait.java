package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
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
 * expired (after which it serves nothing until it has caught up). The near cache of this
 * instance is asked directly; the others through {@code {ns}:near-cache:acknowledged},
 * polled with a growing pause.
 *
 * @author pagecache
 */
final class AcknowledgementWait {

	/** Where the registrations start in a script's reply. */
	private static final int FIRST_REGISTRATION = 5;

	/** Where the server's time is in a script's reply. */
	private static final int SERVER_TIME = 4;

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
	 * milliseconds, then each registered near cache's name and registration expiry on the
	 * server's clock
	 * @param local the near cache of this instance, if any
	 */
	void await(List<Object> reply, @Nullable RedisNearCache local) {
		if (local != null) {
			await(reply, local.getName(), local::hasApplied);
		}
		else {
			await(reply, null, (sequence, epoch) -> true);
		}
	}

	void await(List<Object> reply, @Nullable String localName, AppliedCheck local) {
		if (reply.size() <= FIRST_REGISTRATION) {
			return;
		}
		long sequence = (Long) reply.get(1);
		String epoch = new String((byte[]) reply.get(2), StandardCharsets.UTF_8);
		long serverTime = (Long) reply.get(SERVER_TIME);
		long start = System.nanoTime();
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
