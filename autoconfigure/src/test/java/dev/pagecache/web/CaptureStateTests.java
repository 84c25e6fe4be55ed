package dev.pagecache.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.pagecache.web.CaptureState.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CaptureState}: every transition of a capturing response, and the
 * events a state refuses.
 *
 * @author pagecache
 */
class CaptureStateTests {

	@ParameterizedTest(name = "{0} + {1} -> {2}")
	@CsvSource({ "PASSING, HANDLER_CONFIRMED, CAPTURING", "PASSING, COMMITTED, RELEASED",
			"PASSING, NOT_STORED, PASSING", "PASSING, ERROR, ABANDONED", "CAPTURING, HANDLER_CONFIRMED, CAPTURING",
			"CAPTURING, COMMITTED, CAPTURING", "CAPTURING, OVERFLOW, RELEASED", "CAPTURING, NOT_STORED, RELEASED",
			"CAPTURING, ERROR, ABANDONED", "CAPTURING, SEND, SENT", "RELEASED, HANDLER_CONFIRMED, RELEASED",
			"RELEASED, COMMITTED, RELEASED", "RELEASED, NOT_STORED, RELEASED", "RELEASED, ERROR, RELEASED",
			"ABANDONED, HANDLER_CONFIRMED, ABANDONED", "ABANDONED, COMMITTED, ABANDONED",
			"ABANDONED, NOT_STORED, ABANDONED", "ABANDONED, ERROR, ABANDONED", "SENT, ERROR, SENT" })
	void eventLeadsToItsState(CaptureState from, Event event, CaptureState to) {
		assertThat(from.next(event)).isEqualTo(to);
	}

	@ParameterizedTest(name = "{0} refuses {1}")
	@CsvSource({ "PASSING, OVERFLOW", "PASSING, SEND", "RELEASED, OVERFLOW", "RELEASED, SEND", "ABANDONED, OVERFLOW",
			"ABANDONED, SEND", "SENT, HANDLER_CONFIRMED", "SENT, COMMITTED", "SENT, OVERFLOW", "SENT, NOT_STORED",
			"SENT, SEND" })
	void eventThatCannotHappenInAStateIsRefused(CaptureState from, Event event) {
		assertThatIllegalStateException().isThrownBy(() -> from.next(event))
			.withMessageContaining(from.name())
			.withMessageContaining(event.name());
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "PASSING", "CAPTURING", "RELEASED", "ABANDONED", "SENT" })
	void everyEventIsEitherATransitionOrRefused(CaptureState from) {
		int transitions = 0;
		for (Event event : Event.values()) {
			try {
				from.next(event);
				transitions++;
			}
			catch (IllegalStateException ex) {
				// refused: counted by the tests above
			}
		}
		int expected = switch (from) {
			case PASSING, RELEASED, ABANDONED -> 4;
			case CAPTURING -> 6;
			case SENT -> 1;
		};
		assertThat(transitions).isEqualTo(expected);
	}

}
