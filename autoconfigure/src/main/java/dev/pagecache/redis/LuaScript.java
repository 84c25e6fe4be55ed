package dev.pagecache.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;

/**
 * A Lua script of this package, read once from the class path and run with
 * {@code EVALSHA}; when the server does not know it ({@code NOSCRIPT}: a restart, a
 * fail-over, {@code SCRIPT FLUSH}), it is sent once more with {@code EVAL}, which also
 * caches it on the server.
 *
 * @author pagecache
 */
final class LuaScript {

	private final byte[] source;

	private final String sha1;

	private LuaScript(byte[] source) {
		this.source = source;
		this.sha1 = sha1(source);
	}

	/**
	 * Read {@code dev/pagecache/redis/<name>.lua}.
	 * @param name the script's name
	 * @return the script
	 */
	static LuaScript load(String name) {
		return new LuaScript(read(name));
	}

	/**
	 * Read {@code dev/pagecache/redis/<name>.lua}, preceded by the shared library: the
	 * constants of {@link RedisKeys#luaConstants()}, then {@code library.lua}. Redis 6.2
	 * has no {@code FUNCTION}, so the library travels with each script that uses it.
	 * @param name the script's name
	 * @return the script
	 */
	static LuaScript loadWithLibrary(String name) {
		ByteArrayOutputStream source = new ByteArrayOutputStream();
		source.writeBytes(RedisKeys.bytes(RedisKeys.luaConstants()));
		source.writeBytes(read("library"));
		source.writeBytes(read(name));
		return new LuaScript(source.toByteArray());
	}

	private static byte[] read(String name) {
		String resource = name + ".lua";
		try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("No " + resource + " beside " + LuaScript.class.getName());
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + resource, ex);
		}
	}

	/**
	 * Run the script.
	 * @param <T> the result type
	 * @param connection the connection
	 * @param returnType the type of the script's reply
	 * @param keyCount how many of the arguments are keys
	 * @param keysAndArgs the keys, then the arguments
	 * @return the reply
	 */
	<T> T run(RedisConnection connection, ReturnType returnType, int keyCount, byte[]... keysAndArgs) {
		try {
			return connection.scriptingCommands().evalSha(this.sha1, returnType, keyCount, keysAndArgs);
		}
		catch (DataAccessException ex) {
			if (!isNoScript(ex)) {
				throw ex;
			}
			return connection.scriptingCommands().eval(this.source, returnType, keyCount, keysAndArgs);
		}
	}

	byte[] source() {
		return this.source;
	}

	private static boolean isNoScript(Throwable ex) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (message != null && message.startsWith("NOSCRIPT")) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private static String sha1(byte[] source) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
