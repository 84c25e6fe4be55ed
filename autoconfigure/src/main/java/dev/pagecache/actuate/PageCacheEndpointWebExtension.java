package dev.pagecache.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@link PageCacheEndpoint}'s selector operations over HTTP, with a body that says
 * what is wrong when a selector names nothing. Spring Boot answers an
 * {@link InvalidEndpointRequestException} with a bare {@code 400} whose reason reaches
 * the client only when the application sets {@code server.error.include-message}; an
 * operator who typed {@code entities/Pots/42} should read which entity types exist
 * instead. An unknown page pattern is a {@code 404} that lists the patterns.
 *
 * @author pagecache
 */
@EndpointWebExtension(endpoint = PageCacheEndpoint.class)
final class PageCacheEndpointWebExtension {

	private final PageCacheEndpoint endpoint;

	PageCacheEndpointWebExtension(PageCacheEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * {@link PageCacheEndpoint#detail}, with a body on a {@code 400} or {@code 404}.
	 * @param securityContext who reads
	 * @param kind {@code pages}, {@code tags} or {@code entities}
	 * @param name the rest of the selector
	 * @return the response
	 */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> detail(SecurityContext securityContext, @Selector String kind,
			@Selector(match = Match.ALL_REMAINING) String[] name) {
		try {
			OperationResponseBody body = this.endpoint.detail(securityContext, kind, name);
			if (body == null) {
				String page = SelectorKind.page(name);
				return error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found",
						SelectorKind.unknownPage(page, this.endpoint.pages()));
			}
			return new WebEndpointResponse<>(body);
		}
		catch (InvalidEndpointRequestException ex) {
			return badRequest(ex);
		}
	}

	/**
	 * {@link PageCacheEndpoint#purge}, with a body on a {@code 400}.
	 * @param kind {@code pages}, {@code tags} or {@code entities}
	 * @param name the rest of the selector
	 * @return the response: {@code 204} once purged
	 */
	@DeleteOperation
	public WebEndpointResponse<OperationResponseBody> purge(@Selector String kind,
			@Selector(match = Match.ALL_REMAINING) String[] name) {
		try {
			this.endpoint.purge(kind, name);
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NO_CONTENT);
		}
		catch (InvalidEndpointRequestException ex) {
			return badRequest(ex);
		}
	}

	private static WebEndpointResponse<OperationResponseBody> badRequest(InvalidEndpointRequestException ex) {
		String reason = ex.getReason();
		return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request",
				(reason != null) ? reason : String.valueOf(ex.getMessage()));
	}

	private static WebEndpointResponse<OperationResponseBody> error(int status, String error, String message) {
		return new WebEndpointResponse<>(new ErrorDescriptor(status, error, message), status);
	}

	/**
	 * Why a request named nothing, in the shape of Spring Boot's error responses.
	 *
	 * @param status the HTTP status
	 * @param error the status's reason phrase
	 * @param message what is wrong and what would be right
	 */
	public record ErrorDescriptor(int status, String error, @Nullable String message) implements OperationResponseBody {

	}

}
