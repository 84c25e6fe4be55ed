package dev.pagecache.edge;

/**
 * Thrown by an {@link EdgePurger} whose purge failed in a way worth retrying: an endpoint
 * that cannot be reached, a timeout, a 5xx or a rate limit. The purge is queued and
 * retried with backoff.
 *
 * @author pagecache
 */
public class EdgePurgeException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what failed, naming the endpoint
	 */
	public EdgePurgeException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a cause.
	 * @param message what failed, naming the endpoint
	 * @param cause the cause
	 */
	public EdgePurgeException(String message, Throwable cause) {
		super(message, cause);
	}

}
