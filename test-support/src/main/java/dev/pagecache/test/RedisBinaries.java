package dev.pagecache.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code redis-server} binary that tests run, chosen as {@link RedisServerProcess}
 * describes, and its version.
 */
final class RedisBinaries {

	private static final String SELECTOR_PROPERTY = "pagecache.test.redis-server";

	private static final String SELECTOR_ENV = "PAGECACHE_TEST_REDIS_SERVER";

	private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.");

	private static volatile Path embeddedBinary;

	private RedisBinaries() {
	}

	/**
	 * The binary that the system property or environment variable selects.
	 * @return the path of the binary
	 */
	static Path select() {
		String selector = System.getProperty(SELECTOR_PROPERTY, System.getenv().getOrDefault(SELECTOR_ENV, "auto"));
		if ("embedded".equals(selector)) {
			return embeddedBinary();
		}
		if (!"auto".equals(selector)) {
			return Path.of(selector);
		}
		Path onPath = findOnPath("redis-server");
		return (onPath != null) ? onPath : embeddedBinary();
	}

	/**
	 * The first executable of a name in the directories of the {@code PATH}.
	 * @param name the executable's name
	 * @return its path, {@code null} if there is none
	 */
	static Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

	private static synchronized Path embeddedBinary() {
		if (embeddedBinary == null) {
			String resource = embeddedResourceName();
			try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
				if (in == null) {
					throw new IllegalStateException("No " + resource + " on the class path (embedded-redis missing?)");
				}
				Path dir = Files.createTempDirectory("pagecache-redis");
				Path target = dir.resolve("redis-server");
				Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
				Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
				target.toFile().deleteOnExit();
				dir.toFile().deleteOnExit();
				embeddedBinary = target;
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not extract " + resource, ex);
			}
		}
		return embeddedBinary;
	}

	private static String embeddedResourceName() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		boolean arm = arch.contains("aarch64") || arch.contains("arm");
		if (os.contains("mac")) {
			return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
		}
		if (os.contains("linux")) {
			return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
		}
		throw new IllegalStateException("No embedded redis-server for " + os + "/" + arch
				+ "; put redis-server on the PATH or set " + SELECTOR_PROPERTY);
	}

	/**
	 * The major version of a binary, from {@code redis-server --version}.
	 * @param binary the binary
	 * @return the major version, 0 when unknown
	 */
	static int majorVersion(Path binary) {
		try {
			Process version = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
			String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			RedisServerProcess.waitFor(version);
			Matcher matcher = VERSION.matcher(output);
			return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + binary + " --version", ex);
		}
	}

}
