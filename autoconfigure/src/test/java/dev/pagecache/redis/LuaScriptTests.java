package dev.pagecache.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the Lua sources: what {@code library.lua} shares is written nowhere else, and
 * no script uses a command or flag that Redis 6.2 lacks.
 *
 * @author pagecache
 */
class LuaScriptTests {

	private static final List<String> SHARED = List.of("redis.call('TIME')", "string.sub(member", "TAG_INDEX ..",
			"'tag:'", "'page-sha256:'", "'miss-reason:'", "HGETALL");

	private static final List<String> NOT_ON_REDIS_6_2 = List.of("FUNCTION", "#!lua", "redis.setresp",
			"redis.REDIS_VERSION", "call('KEYS'");

	@ParameterizedTest
	@ValueSource(strings = { "acknowledge", "clear", "count-tagged", "create-epoch", "heartbeat", "hot", "invalidate",
			"put", "release", "stats", "tagged" })
	void scriptLeavesWhatTheLibrarySharesToTheLibrary(String name) {
		String source = read(name);
		assertThat(SHARED).allSatisfy((shared) -> assertThat(source).doesNotContain(shared));
		assertThat(NOT_ON_REDIS_6_2).allSatisfy((command) -> assertThat(source).doesNotContain(command));
	}

	@ParameterizedTest
	@ValueSource(strings = { "invalidate", "tagged" })
	void scriptThatDerivesKeysIsLoadedAfterTheKeyNamesAndTheLibrary(String name) {
		String source = new String(LuaScript.loadWithLibrary(name).source(), StandardCharsets.UTF_8);
		assertThat(source).startsWith(RedisKeys.luaConstants());
		assertThat(source.indexOf("local function page_id")).isLessThan(source.indexOf(read(name)));
	}

	private static String read(String name) {
		try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
