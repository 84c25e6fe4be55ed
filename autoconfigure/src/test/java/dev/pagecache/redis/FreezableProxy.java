package dev.pagecache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on a loopback port to a Redis server, whose forwarding the test can
 * freeze: while frozen, nothing read from Redis is passed on (replies and pub/sub
 * messages wait in the forwarder), and, unless only replies are frozen, nothing sent to
 * Redis either. Connections stay open, as those of an instance in a long pause do;
 * thawed, everything that waited is delivered in order.
 *
 * @author pagecache
 */
final class FreezableProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int targetPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object monitor = new Object();

	private boolean repliesFrozen;

	private boolean requestsFrozen;

	FreezableProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		start("freezable-proxy", this::accept);
	}

	int getPort() {
		return this.server.getLocalPort();
	}

	/**
	 * Stop forwarding.
	 * @param requestsToo whether what the client sends waits too (the instance is paused)
	 * or only what Redis sends (it cannot hear Redis)
	 */
	void freeze(boolean requestsToo) {
		synchronized (this.monitor) {
			this.repliesFrozen = true;
			this.requestsFrozen = requestsToo;
		}
	}

	void thaw() {
		synchronized (this.monitor) {
			this.repliesFrozen = false;
			this.requestsFrozen = false;
			this.monitor.notifyAll();
		}
	}

	@Override
	public void close() {
		thaw();
		closeQuietly(this.server);
		this.sockets.forEach(FreezableProxy::closeQuietly);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(target);
				start("freezable-proxy-requests", () -> pump(client, target, false));
				start("freezable-proxy-replies", () -> pump(target, client, true));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void pump(Socket from, Socket to, boolean replies) {
		byte[] buffer = new byte[8192];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				awaitThawed(replies);
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException | InterruptedException ex) {
			// closed
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private void awaitThawed(boolean replies) throws InterruptedException {
		synchronized (this.monitor) {
			while (replies ? this.repliesFrozen : this.requestsFrozen) {
				this.monitor.wait();
			}
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
			// closing anyway
		}
	}

}
