package dev.pagecache.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of the built-in purgers: one client per edge with a bounded wait per
 * request, failures turned into {@link EdgePurger.PurgeException}, and a rate limit
 * obeyed. A {@code 429 Too Many Requests} holds every purge of this edge back until its
 * {@code Retry-After} (seconds or an HTTP date; 10 seconds without one, an hour at most)
 * has passed: purges in that time fail at once, without a request, and the retry queue
 * sends them again later.
 *
 * @author pagecache
 */
final class EdgeHttp {

	private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

	private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

	private final String edge;

	private final HttpClient client;

	private final Duration timeout;

	private final Clock clock;

	private volatile Instant heldUntil = Instant.MIN;

	EdgeHttp(String edge, Duration timeout, Clock clock) {
		this.edge = edge;
		this.timeout = timeout;
		this.clock = clock;
		this.client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * A request to this edge, with the wait bounded.
	 * @param uri the target
	 * @return the request's builder
	 */
	HttpRequest.Builder request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(this.timeout);
	}

	/**
	 * Send a request and wait for its response.
	 * @param request the request
	 * @return the response, any status but 429
	 * @throws EdgePurger.PurgeException if the edge cannot be reached, does not answer in
	 * time, or limits the rate
	 */
	HttpResponse<String> send(HttpRequest request) {
		checkNotHeld();
		HttpResponse<String> response;
		try {
			response = this.client.send(request, BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new EdgePurger.PurgeException(unreachable(request, ex), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EdgePurger.PurgeException(this.edge + " purge " + describe(request) + " was interrupted", ex);
		}
		checkRateLimit(request, response);
		return response;
	}

	/**
	 * Send a request without waiting.
	 * @param request the request
	 * @return the response, or an {@link EdgePurger.PurgeException} as {@link #send}
	 * throws it
	 */
	CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
		try {
			checkNotHeld();
		}
		catch (EdgePurger.PurgeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.client.sendAsync(request, BodyHandlers.ofString()).handle((response, failure) -> {
			if (failure != null) {
				Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
				throw new EdgePurger.PurgeException(unreachable(request, cause), cause);
			}
			checkRateLimit(request, response);
			return response;
		});
	}

	/**
	 * A failure of a purge request that the edge answered.
	 * @param request the request
	 * @param response the response
	 * @param hint what to check, or an empty string
	 * @return the exception to throw
	 */
	EdgePurger.PurgeException failure(HttpRequest request, HttpResponse<String> response, String hint) {
		String body = response.body().strip();
		if (body.length() > 300) {
			body = body.substring(0, 300) + "...";
		}
		return new EdgePurger.PurgeException(this.edge + " answered " + response.statusCode() + " to the purge "
				+ describe(request) + (hint.isEmpty() ? "" : " (" + hint + ")") + (body.isEmpty() ? "" : ": " + body));
	}

	private void checkNotHeld() {
		Instant until = this.heldUntil;
		if (this.clock.instant().isBefore(until)) {
			throw new EdgePurger.PurgeException(this.edge + " limits the rate of purges: none is sent before " + until);
		}
	}

	private void checkRateLimit(HttpRequest request, HttpResponse<String> response) {
		if (response.statusCode() == 429) {
			Duration wait = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
			this.heldUntil = this.clock.instant().plus(wait);
			throw new EdgePurger.PurgeException(this.edge + " answered 429 Too Many Requests to the purge "
					+ describe(request) + ": purges wait until " + this.heldUntil);
		}
	}

	/**
	 * How long a {@code Retry-After} value says to wait.
	 * @param value delay seconds or an HTTP date, or {@code null}
	 * @return the wait, 10 seconds for a missing or unreadable value, at most an hour
	 */
	Duration retryAfter(@Nullable String value) {
		Duration wait = DEFAULT_RETRY_AFTER;
		if (value != null && value.strip().matches("[0-9]{1,9}")) {
			wait = Duration.ofSeconds(Long.parseLong(value.strip()));
		}
		else if (value != null) {
			try {
				Instant at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				wait = Duration.between(this.clock.instant(), at);
			}
			catch (DateTimeParseException ex) {
				// keep the default
			}
		}
		if (wait.isNegative()) {
			return Duration.ZERO;
		}
		return (wait.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : wait;
	}

	private String unreachable(HttpRequest request, Throwable cause) {
		return this.edge + " purge " + describe(request) + " failed: " + cause;
	}

	private static String describe(HttpRequest request) {
		return request.method() + " " + request.uri();
	}

	/**
	 * Split values into batches of at most a given size, in their order.
	 * @param <T> the type of the values
	 * @param values the values
	 * @param size the largest batch
	 * @return the batches
	 */
	static <T> List<List<T>> batches(Collection<T> values, int size) {
		List<T> all = new ArrayList<>(values);
		List<List<T>> batches = new ArrayList<>();
		for (int from = 0; from < all.size(); from += size) {
			batches.add(all.subList(from, Math.min(all.size(), from + size)));
		}
		return batches;
	}

	/**
	 * A JSON array of strings.
	 * @param values the strings
	 * @return the array's text
	 */
	static String jsonArray(Collection<String> values) {
		StringBuilder json = new StringBuilder("[");
		for (String value : values) {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append('"');
			for (char c : value.toCharArray()) {
				switch (c) {
					case '"' -> json.append("\\\"");
					case '\\' -> json.append("\\\\");
					default -> {
						if (c < 0x20) {
							json.append(String.format("\\u%04x", (int) c));
						}
						else {
							json.append(c);
						}
					}
				}
			}
			json.append('"');
		}
		return json.append(']').toString();
	}

}
