package dev.pagecache.test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running {@linkplain RedisServerProcess#slowDown(Duration) slowdown}: one thread that
 * sends {@code DEBUG SLEEP} again as soon as the previous one returns.
 */
public final class RedisSlowdown implements AutoCloseable {

	private final RedisServerProcess server;

	private final String seconds;

	private final Thread thread;

	private volatile boolean running = true;

	private volatile int sleeps;

	/** Released once the first sleep is sent, so that the slowdown is in effect. */
	private final CountDownLatch firstSent = new CountDownLatch(1);

	RedisSlowdown(RedisServerProcess server, Duration sleep) {
		this.server = server;
		this.seconds = Double.toString(sleep.toNanos() / 1e9);
		String reply = server.command("DEBUG", "SLEEP", "0");
		if (!reply.startsWith("+OK")) {
			throw new IllegalStateException("DEBUG SLEEP refused: " + reply);
		}
		this.thread = new Thread(this::sleepRepeatedly, "redis-slowdown-" + server.getPort());
		this.thread.setDaemon(true);
		this.thread.start();
		try {
			this.firstSent.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** How many sleeps the server has finished so far. */
	public int getSleeps() {
		return this.sleeps;
	}

	private void sleepRepeatedly() {
		try (Socket socket = new Socket(this.server.getHost(), this.server.getPort())) {
			socket.setSoTimeout(30_000);
			byte[] request = ("*3\r\n$5\r\nDEBUG\r\n$5\r\nSLEEP\r\n$" + this.seconds.length() + "\r\n" + this.seconds
					+ "\r\n")
				.getBytes(StandardCharsets.UTF_8);
			while (this.running) {
				socket.getOutputStream().write(request);
				socket.getOutputStream().flush();
				this.firstSent.countDown();
				RedisServerProcess.readReply(socket.getInputStream());
				this.sleeps++;
			}
		}
		catch (IOException ex) {
			// the server went away: nothing left to slow down
		}
	}

	/** Stop sending sleeps and wait until the last one has ended. */
	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join(30_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
