package dev.pagecache.jpa;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;

import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.engine.spi.TransactionCompletionCallbacks;
import org.hibernate.engine.spi.TransactionCompletionCallbacks.AfterCompletionCallback;
import org.hibernate.engine.spi.TransactionCompletionCallbacks.BeforeCompletionCallback;

/**
 * The tags that the writes of each session's current transaction invalidate, sent
 * together, in one call, once the transaction has committed, and dropped when it rolls
 * back.
 * <p>
 * The first write of a transaction registers two callbacks with the session. An
 * after-completion callback forgets the transaction's tags whatever its outcome. A
 * before-completion callback, run after the flush at commit, registers the
 * after-completion callback that sends the tags: it is therefore the last one to run
 * after the commit, after Hibernate has updated or evicted the second-level cache entries
 * of the transaction, so that a page rendered after the invalidation cannot read an entry
 * the transaction made stale. The tags are sent in the committing thread before the
 * commit returns.
 *
 * @author pagecache
 */
final class TransactionInvalidations {

	private final Map<SharedSessionContractImplementor, Pending> pending = Collections
		.synchronizedMap(new WeakHashMap<>());

	private final Consumer<Set<String>> sender;

	/**
	 * @param sender sends the tags of one committed transaction; must not throw
	 */
	TransactionInvalidations(Consumer<Set<String>> sender) {
		this.sender = sender;
	}

	/**
	 * Invalidate tags once the session's transaction commits, or now when the session has
	 * no transaction (its writes are already committed).
	 */
	void add(SharedSessionContractImplementor session, Collection<String> tags) {
		if (tags.isEmpty()) {
			return;
		}
		if (!session.isTransactionInProgress()) {
			this.sender.accept(Set.copyOf(tags));
			return;
		}
		pending(session).add(tags);
	}

	private Pending pending(SharedSessionContractImplementor session) {
		synchronized (this.pending) {
			Pending pending = this.pending.get(session);
			if (pending == null) {
				pending = new Pending();
				this.pending.put(session, pending);
				register(session, pending);
			}
			return pending;
		}
	}

	private void register(SharedSessionContractImplementor session, Pending pending) {
		TransactionCompletionCallbacks callbacks = session.getTransactionCompletionCallbacks();
		callbacks.registerCallback((AfterCompletionCallback) (success, completed) -> {
			this.pending.remove(completed);
			if (success && !pending.sendRegistered) {
				// the before-completion callback did not run (a transaction we do not see
				// commit)
				send(pending);
			}
		});
		callbacks.registerCallback((BeforeCompletionCallback) (completing) -> {
			pending.sendRegistered = true;
			completing.getTransactionCompletionCallbacks()
				.registerCallback((AfterCompletionCallback) (success, completed) -> {
					if (success) {
						send(pending);
					}
				});
		});
	}

	private void send(Pending pending) {
		Set<String> tags = pending.drain();
		if (!tags.isEmpty()) {
			this.sender.accept(tags);
		}
	}

	/** The tags of one transaction. */
	private static final class Pending {

		private final Set<String> tags = new LinkedHashSet<>();

		private volatile boolean sendRegistered;

		synchronized void add(Collection<String> tags) {
			this.tags.addAll(tags);
		}

		synchronized Set<String> drain() {
			Set<String> drained = Set.copyOf(this.tags);
			this.tags.clear();
			return drained;
		}

	}

}
