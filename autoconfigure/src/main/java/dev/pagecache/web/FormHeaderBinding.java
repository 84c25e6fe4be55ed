package dev.pagecache.web;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.validation.AbstractPropertyBindingResult;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.servlet.support.ExtendedServletRequestDataBinder;
import org.springframework.util.StringUtils;
import org.springframework.web.util.WebUtils;

/**
 * Keeps Spring Framework 7's data binder from reading request headers that cannot change
 * the form object it binds, while a page renders on a miss. The binder offers every
 * request header as a bind value (named as a property: {@code User-Agent} as
 * {@code userAgent}), reading each one; a {@link KeyedRequest} notes such a read as an
 * input outside the key, and the page of any search form would never be stored. Only the
 * headers for which the form object has a writable property, and every header of a form
 * object that is constructed from the request (whose constructor parameters decide), are
 * read as before, and still keep the page out of the store unless the route keys them. A
 * header that is not read changes nothing: the binder ignores values that no property
 * takes.
 *
 * @author pagecache
 */
@ControllerAdvice
final class FormHeaderBinding {

	/**
	 * Narrow the headers a binder of a page render reads.
	 * @param binder the binder
	 * @param request the request
	 */
	@InitBinder
	void bindOnlyHeadersTheFormTakes(WebDataBinder binder, HttpServletRequest request) {
		if (binder instanceof ExtendedServletRequestDataBinder headerBinder
				&& WebUtils.getNativeRequest(request, KeyedRequest.class) != null) {
			headerBinder.addHeaderPredicate((header) -> takes(binder, header));
		}
	}

	/**
	 * Whether the binder may bind a header to its form object. Asked when the binder
	 * binds, after every {@code @InitBinder} method chose how the binder accesses the
	 * form object.
	 */
	static boolean takes(WebDataBinder binder, String header) {
		if (binder.getTarget() == null || !binder.isIgnoreUnknownFields()) {
			// a form object built from the request reads headers by constructor
			// parameter name only; a binder that fails on unknown fields must still fail
			return true;
		}
		String property = StringUtils.uncapitalize(header.replace("-", ""));
		if (property.indexOf('.') >= 0) {
			// a nested path: asking about it may create the nested object
			return true;
		}
		BindingResult result = binder.getBindingResult();
		return !(result instanceof AbstractPropertyBindingResult properties)
				|| properties.getPropertyAccessor().isWritableProperty(property);
	}

}
