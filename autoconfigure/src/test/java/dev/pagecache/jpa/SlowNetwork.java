package dev.pagecache.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder on a loopback port to another, whose responses (the bytes that flow
 * back from the target) arrive a fixed time after the target sent them: the network
 * between an application and an edge on another machine, on which a response the
 * application has handed over is still on its way for a while.
 *
 * @author pagecache
 */
final class SlowNetwork implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final long latencyNanos;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	/**
	 * Listen on a free port.
	 * @param targetPort the port to forward to, on the loopback interface
	 * @param latency how long responses take
	 */
	SlowNetwork(int targetPort, Duration latency) {
		this.targetPort = targetPort;
		this.latencyNanos = latency.toNanos();
		try {
			this.server = new ServerSocket();
			this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		start("slow-network-" + getPort(), this::accept);
	}

	int getPort() {
		return this.server.getLocalPort();
	}

	@Override
	public void close() {
		closeQuietly(this.server);
		this.sockets.forEach(SlowNetwork::closeQuietly);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(target);
				start("slow-network-request", () -> pump(client, target, 0));
				start("slow-network-response", () -> pump(target, client, this.latencyNanos));
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection close
			}
		}
	}

	/** Copy bytes, each chunk written {@code latency} after it was read. */
	private static void pump(Socket from, Socket to, long latency) {
		byte[] buffer = new byte[65536];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				long due = System.nanoTime() + latency;
				for (long left = latency; left > 0; left = due - System.nanoTime()) {
					LockSupport.parkNanos(left);
				}
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// a side closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closed
		}
	}

}
