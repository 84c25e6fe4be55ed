package dev.pagecache.store;

/**
 * Thrown by a {@link PageStore} that cannot be reached or answered too late.
 *
 * @author pagecache
 */
public class PageStoreUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public PageStoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

	public PageStoreUnavailableException(String message) {
		super(message);
	}

}
