package dev.pagecache.mvc;

import org.jspecify.annotations.Nullable;

/**
 * The form object of the owners search page, as in the sample: one property, none named
 * like a request header.
 */
public class OwnerSearch {

	private @Nullable String lastName;

	public @Nullable String getLastName() {
		return this.lastName;
	}

	public void setLastName(@Nullable String lastName) {
		this.lastName = lastName;
	}

}
