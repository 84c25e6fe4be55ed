package dev.pagecache.web;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageKeys}: the path in a key is encoded as {@link UriUtils#encodePath}
 * encodes it, whichever chars it holds.
 *
 * @author pagecache
 */
class PageKeysTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/", "/posts/42", "/a-b_c.d~e/!$&'()*+,;=:@", "/caf\u00e9", "/a b", "/50%", "/x?y#z",
			"/[v6]", "/\"q\"", "/<t>", "/^|`{}", "" })
	void pathIsAppendedAsEncodePathEncodesIt(String path) {
		assertThat(appended(path)).isEqualTo(UriUtils.encodePath(path, StandardCharsets.UTF_8));
	}

	@Test
	void everyCharOfTheFirstPlanesIsAppendedAsEncodePathEncodesIt() {
		for (char c = 0; c < 0x800; c++) {
			String path = "/p" + c + "q";
			assertThat(appended(path)).as("char %d", (int) c)
				.isEqualTo(UriUtils.encodePath(path, StandardCharsets.UTF_8));
		}
		Random random = new Random(14);
		for (int i = 0; i < 1000; i++) {
			String path = "/" + (char) random.nextInt(Character.MIN_SURROGATE) + "/x";
			assertThat(appended(path)).isEqualTo(UriUtils.encodePath(path, StandardCharsets.UTF_8));
		}
	}

	private static String appended(String path) {
		StringBuilder key = new StringBuilder();
		PageKeys.appendPath(key, path);
		return key.toString();
	}

}
