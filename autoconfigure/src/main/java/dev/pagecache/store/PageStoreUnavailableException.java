package dev.pagecache.store;

/**
 * Thrown by a {@link PageStore} that cannot be reached or answered too late.
 *
 * @author pagecache
 */
public class PageStoreUnavailableException extends RuntimeException {

	public PageStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

	public PageStoreUnavailableException(String message) {
		super(message);
	}

}
