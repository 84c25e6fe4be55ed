package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pagecache.redis.NearCacheMessage.Clear;
import dev.pagecache.redis.NearCacheMessage.Invalidation;
import dev.pagecache.redis.NearCacheMessage.Ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link NearCacheMessage#parse(byte[])}: the wire format of the near caches'
 * channel as the scripts publish it, and every malformed shape it rejects.
 *
 * @author pagecache
 */
class NearCacheMessageTests {

	private static final String EPOCH = "Xq3mX9a_E2lT0pVb";

	@Test
	void invalidationCarriesItsSequenceEpochAndTags() {
		assertThat(parse("i\n17\n" + EPOCH + "\nPost#42\nroute:/posts/{id}"))
			.isEqualTo(new Invalidation(17, EPOCH, List.of("Post#42", "route:/posts/{id}")));
	}

	@Test
	void invalidationOfNoTagsIsValid() {
		assertThat(parse("i\n3\n" + EPOCH)).isEqualTo(new Invalidation(3, EPOCH, List.of()));
	}

	@Test
	void invalidationWhileRedisHadNoEpochCarriesAnEmptyEpoch() {
		assertThat(parse("i\n1\n\nPost#1")).isEqualTo(new Invalidation(1, "", List.of("Post#1")));
	}

	@Test
	void clearCarriesItsSequenceAndNewEpoch() {
		assertThat(parse("c\n0\n" + EPOCH)).isEqualTo(new Clear(0, EPOCH));
	}

	@Test
	void pingCarriesItsSenderNumberAndTheStoresPosition() {
		Ping ping = (Ping) parse("p\nhT3e0aPq9xZc\n5\n17\n" + EPOCH);
		assertThat(ping).isEqualTo(new Ping("hT3e0aPq9xZc", 5, 17, EPOCH));
		assertThat(ping.hasState()).isTrue();
	}

	@Test
	void pingOfARedisWithoutEpochHasNoState() {
		Ping ping = (Ping) parse("p\nhT3e0aPq9xZc\n5\n\n");
		assertThat(ping.sequence()).isEqualTo(-1);
		assertThat(ping.hasState()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "x\n1\nXq3mX9a_E2lT0pVb", "I\n1\nXq3mX9a_E2lT0pVb", "i", "i\n1", "c\n1",
			"c\n1\nXq3mX9a_E2lT0pVb\nextra", "p\nname\n1\n2", "p\nname\n1\n2\nXq3mX9a_E2lT0pVb\nextra",
			"p\n\n1\n2\nXq3mX9a_E2lT0pVb" })
	void messageWithAnUnknownTypeOrTheWrongNumberOfFieldsIsRejected(String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> parse(message));
	}

	@ParameterizedTest
	@ValueSource(strings = { "i\n\nXq3mX9a_E2lT0pVb", "i\n-1\nXq3mX9a_E2lT0pVb", "i\n1a\nXq3mX9a_E2lT0pVb",
			"i\n+1\nXq3mX9a_E2lT0pVb", "i\n1234567890123456789\nXq3mX9a_E2lT0pVb", "c\n\nXq3mX9a_E2lT0pVb",
			"p\nname\nx\n2\nXq3mX9a_E2lT0pVb", "p\nname\n1\n-2\nXq3mX9a_E2lT0pVb" })
	void messageWhoseNumbersAreNotNonNegativeDecimalsIsRejected(String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> parse(message)).withMessageContaining("number");
	}

	@ParameterizedTest
	@ValueSource(strings = { "i\n1\nshort", "c\n1\n", "c\n1\nXq3mX9a_E2lT0pVbX", "p\nname\n1\n2\nshort" })
	void messageWithAnEpochOfTheWrongLengthIsRejected(String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> parse(message)).withMessageContaining("epoch");
	}

	private static NearCacheMessage parse(String message) {
		return NearCacheMessage.parse(message.getBytes(StandardCharsets.UTF_8));
	}

}
