package dev.pagecache.mvc;

import org.jspecify.annotations.Nullable;

/**
 * A form object with a property named like a request header: Spring Framework 7's binder
 * fills {@code userAgent} from {@code User-Agent} when no query parameter names it, so
 * the page it renders depends on that header.
 */
public class AgentSearch {

	private @Nullable String name;

	private @Nullable String userAgent;

	public @Nullable String getName() {
		return this.name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public @Nullable String getUserAgent() {
		return this.userAgent;
	}

	public void setUserAgent(@Nullable String userAgent) {
		this.userAgent = userAgent;
	}

}
