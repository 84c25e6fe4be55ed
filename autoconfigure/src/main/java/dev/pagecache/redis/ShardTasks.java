package dev.pagecache.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.pagecache.store.PageStoreUnavailableException;

/**
 * Runs an operation in every shard of a {@link ShardedRedisPageStore} at once, each on a
 * thread of its own (threads are kept for 30 s and reused), and waits for all of them,
 * even if the calling thread is interrupted meanwhile. Once closed, operations run in the
 * calling thread, one shard after the other.
 *
 * @author pagecache
 */
final class ShardTasks implements AutoCloseable {

	private final ThreadPoolExecutor executor;

	ShardTasks() {
		AtomicInteger threads = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, "pagecache-shard-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * Run an operation in every shard at once and wait for all of them.
	 * @param <S> the type of a shard
	 * @param <T> the type of an operation's result
	 * @param shards the shards
	 * @param operation what the operation is, for the message of a failure
	 * @param action the operation
	 * @return the results, by shard
	 * @throws PageStoreUnavailableException the first failure of a shard, once every
	 * shard is done
	 */
	<S, T> List<T> inEvery(List<S> shards, String operation, Function<S, T> action) {
		List<FutureTask<T>> tasks = new ArrayList<>(shards.size());
		for (S shard : shards) {
			FutureTask<T> task = new FutureTask<>(() -> action.apply(shard));
			try {
				this.executor.execute(task);
			}
			catch (RejectedExecutionException ex) {
				task.run(); // closed
			}
			tasks.add(task);
		}
		List<T> results = new ArrayList<>(tasks.size());
		RuntimeException failure = null;
		for (FutureTask<T> task : tasks) {
			try {
				results.add(getUninterruptibly(task));
			}
			catch (ExecutionException ex) {
				if (failure == null) {
					failure = (ex.getCause() instanceof PageStoreUnavailableException unavailable) ? unavailable
							: new PageStoreUnavailableException(
									"Redis page store " + operation + " failed in a shard: " + ex.getCause(),
									ex.getCause());
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
		return results;
	}

	/**
	 * Wait for a shard's task to end, even if this thread is interrupted meanwhile (then
	 * interrupted again): every shard's invalidation runs to its end, as one left undone
	 * would leave its pages stale on every instance.
	 */
	private static <T> T getUninterruptibly(FutureTask<T> task) throws ExecutionException {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return task.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Stop the threads once their operations are done.
	 */
	@Override
	public void close() {
		this.executor.shutdown();
	}

}
