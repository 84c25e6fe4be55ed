package dev.pagecache.redis;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Redis server speaking only TLS (Debian's {@code redis-server}, built with TLS),
 * with a self-signed certificate for 127.0.0.1 that no JVM trusts by default, made with
 * the JDK's keytool. The certificate, its key and each server's log are written to a
 * directory of the test's.
 *
 * @author pagecache
 */
final class TlsRedisServer implements AutoCloseable {

	private static final Path SERVER = Path.of("/usr/bin/redis-server");

	private static final Path CLI = Path.of("/usr/bin/redis-cli");

	private final Process process;

	private final int port;

	private TlsRedisServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Skip the test where Debian's Redis is not installed, or fail it when {@code CI} is
	 * set.
	 * @param what what the test is, for the message
	 */
	static void assumeInstalled(String what) {
		if (!Files.isExecutable(SERVER) || !Files.isExecutable(CLI)) {
			String message = SERVER + " or " + CLI + " is not installed (Debian: apt-get install redis-server), so "
					+ what + " is skipped.";
			if (System.getenv("CI") != null) {
				Assertions.fail(message + " The CI environment variable is set, so this is a failure, not a skip.");
			}
			Assumptions.abort(message);
		}
	}

	/**
	 * Write {@code cert.pem} and {@code key.pem} into the directory: a self-signed
	 * certificate for 127.0.0.1 and localhost, and its private key.
	 * @param directory where to write them
	 */
	static void writeCertificate(Path directory) throws IOException, InterruptedException, GeneralSecurityException {
		Path keyStore = directory.resolve("redis.p12");
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		Process keytoolProcess = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "redis", "-keyalg",
				"RSA", "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
				"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "secret",
				"-keypass", "secret")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("keytool.log").toFile())
			.start();
		assertThat(keytoolProcess.waitFor()).as("keytool: %s", Files.readString(directory.resolve("keytool.log")))
			.isZero();
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(keyStore.toFile())) {
			store.load(in, "secret".toCharArray());
		}
		Files.writeString(directory.resolve("key.pem"),
				pem("PRIVATE KEY", store.getKey("redis", "secret".toCharArray()).getEncoded()));
		Files.writeString(directory.resolve("cert.pem"),
				pem("CERTIFICATE", store.getCertificate("redis").getEncoded()));
	}

	/**
	 * Start a server on a TLS port of 127.0.0.1 (no plain port), with the certificate
	 * {@link #writeCertificate} wrote, and wait until it listens.
	 * @param directory the certificate's directory, where the server's log goes too
	 * @param port its TLS port
	 * @param arguments more arguments of {@code redis-server}
	 * @return the running server
	 */
	static TlsRedisServer start(Path directory, int port, String... arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(SERVER.toString(), "--port", "0", "--tls-port",
				Integer.toString(port), "--bind", "127.0.0.1", "--tls-cert-file",
				directory.resolve("cert.pem").toString(), "--tls-key-file", directory.resolve("key.pem").toString(),
				"--tls-ca-cert-file", directory.resolve("cert.pem").toString(), "--tls-auth-clients", "no", "--save",
				"", "--appendonly", "no", "--dir", directory.toString()));
		command.addAll(List.of(arguments));
		Path log = directory.resolve("redis-" + port + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		TlsRedisServer server = new TlsRedisServer(process, port);
		try {
			server.awaitListening(log);
		}
		catch (RuntimeException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	int port() {
		return this.port;
	}

	/**
	 * Run {@code redis-cli} over TLS against this server.
	 * @param directory the certificate's directory
	 * @param arguments the command and its arguments
	 * @return what it printed
	 */
	String cli(Path directory, String... arguments) {
		return TlsRedisServer.cli(directory, this.port, arguments);
	}

	/**
	 * Run {@code redis-cli} over TLS against a server on 127.0.0.1.
	 * @param directory the certificate's directory
	 * @param port the server's TLS port
	 * @param arguments the command and its arguments
	 * @return what it printed
	 */
	static String cli(Path directory, int port, String... arguments) {
		List<String> command = new ArrayList<>(List.of(CLI.toString(), "--tls", "--cacert",
				directory.resolve("cert.pem").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(List.of(arguments));
		try {
			Path output = Files.createTempFile("redis-cli", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			boolean exited = process.waitFor(60, TimeUnit.SECONDS);
			if (!exited) {
				process.destroyForcibly();
			}
			String printed = Files.readString(output).trim();
			Files.delete(output);
			assertThat(exited).as("redis-cli %s ended within 60 s: %s", List.of(arguments), printed).isTrue();
			assertThat(process.exitValue()).as("redis-cli %s: %s", List.of(arguments), printed).isZero();
			return printed;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Whether an exception was caused by TLS: a failed handshake, an untrusted
	 * certificate.
	 * @param ex the exception
	 * @return whether an {@link SSLException} is in its causes or in what they suppressed
	 * (a cluster client suppresses each node's failure in the one it throws)
	 */
	static boolean causedByTls(@Nullable Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLException) {
				return true;
			}
			for (Throwable suppressed : cause.getSuppressed()) {
				if (causedByTls(suppressed)) {
					return true;
				}
			}
		}
		return false;
	}

	private void awaitListening(Path log) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline || !this.process.isAlive()) {
					throw new IllegalStateException("Redis with TLS did not start: " + Files.readString(log), ex);
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(interrupted);
				}
			}
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
