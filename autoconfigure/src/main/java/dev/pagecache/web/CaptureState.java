package dev.pagecache.web;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link CachingResponseWrapper} is in capturing a body: every state and every
 * transition between them is here, in {@link #next(Event)}; the wrapper carries out what
 * a transition means for the bytes it holds.
 *
 * @author pagecache
 */
enum CaptureState {

	/** Not capturing (yet): the body goes to the wrapped response. */
	PASSING,

	/** The handler is the page's: the body is kept in memory. */
	CAPTURING,

	/**
	 * Capture given up (the body grew past the limit, the response was committed before
	 * the handler was known, or the page is not stored): what was kept was written out,
	 * the rest passes.
	 */
	RELEASED,

	/** An error or a redirect: what was kept is dropped, the rest passes. */
	ABANDONED,

	/** The kept body, or another encoding of it, was sent. */
	SENT;

	/**
	 * The state after an event.
	 * @param event what happened
	 * @return the next state
	 * @throws IllegalStateException if the event cannot happen in this state
	 */
	CaptureState next(Event event) {
		@Nullable CaptureState next = switch (this) {
			case PASSING -> switch (event) {
				case HANDLER_CONFIRMED -> CAPTURING;
				case COMMITTED -> RELEASED;
				case NOT_STORED -> PASSING;
				case ERROR -> ABANDONED;
				case OVERFLOW, SEND -> null;
			};
			case CAPTURING -> switch (event) {
				case HANDLER_CONFIRMED, COMMITTED -> CAPTURING;
				case OVERFLOW, NOT_STORED -> RELEASED;
				case ERROR -> ABANDONED;
				case SEND -> SENT;
			};
			case RELEASED, ABANDONED -> (event == Event.OVERFLOW || event == Event.SEND) ? null : this;
			case SENT -> (event == Event.ERROR) ? SENT : null;
		};
		if (next == null) {
			throw new IllegalStateException("A response that is " + this + " cannot take " + event);
		}
		return next;
	}

	/**
	 * What happens to a capturing response.
	 */
	enum Event {

		/** The handler is known to be the page's: capture from now on. */
		HANDLER_CONFIRMED,

		/**
		 * The handler is known, but the response was committed before: too late to
		 * capture.
		 */
		COMMITTED,

		/** The body grew past the limit. */
		OVERFLOW,

		/** The page is not stored: write out what was kept and pass the rest. */
		NOT_STORED,

		/** An error or a redirect was sent. */
		ERROR,

		/** The kept body is sent. */
		SEND

	}

}
