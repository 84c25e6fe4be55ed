package dev.pagecache.sample;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP forwarder on a loopback port to another, for the network between two processes of
 * a test: it can be cut ({@link #stop()}) and restored ({@link #start()}) on the same
 * port, and it can hold the bytes that flow back from the target (a response in flight)
 * until the test releases them.
 *
 * @author pagecache
 */
final class TcpProxy implements AutoCloseable {

	private final int port;

	private final int targetPort;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private volatile ServerSocket server;

	private volatile CountDownLatch release = new CountDownLatch(0);

	private volatile CountDownLatch held = new CountDownLatch(0);

	TcpProxy(int port, int targetPort) {
		this.port = port;
		this.targetPort = targetPort;
		start();
	}

	int getPort() {
		return this.port;
	}

	/** Listen again, after {@link #stop()}. */
	synchronized void start() {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.server = socket;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		ServerSocket listening = this.server;
		Thread accepter = new Thread(() -> accept(listening), "tcp-proxy-" + this.port);
		accepter.setDaemon(true);
		accepter.start();
	}

	/** Cut the network: close the port and every connection through it. */
	synchronized void stop() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closed
		}
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	/** Hold every byte that flows back from the target from now on. */
	void holdResponses() {
		this.held = new CountDownLatch(1);
		this.release = new CountDownLatch(1);
	}

	/**
	 * Wait until a response from the target is held.
	 * @param timeout the longest wait
	 * @return whether one is held
	 * @throws InterruptedException if interrupted
	 */
	boolean awaitHeldResponse(Duration timeout) throws InterruptedException {
		return this.held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Let the held bytes, and all that follow, through. */
	void releaseResponses() {
		this.release.countDown();
	}

	@Override
	public void close() {
		releaseResponses();
		stop();
	}

	private void accept(ServerSocket listening) {
		while (!listening.isClosed()) {
			try {
				Socket client = listening.accept();
				Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(client);
				this.sockets.add(target);
				pump(client, target, false);
				pump(target, client, true);
			}
			catch (IOException ex) {
				// closed, or the target is not listening: the client sees its connection
				// close
			}
		}
	}

	private void pump(Socket from, Socket to, boolean response) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					if (response) {
						this.held.countDown();
						this.release.await();
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// a side closed
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tcp-proxy-pump-" + this.port);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closed
		}
	}

}
