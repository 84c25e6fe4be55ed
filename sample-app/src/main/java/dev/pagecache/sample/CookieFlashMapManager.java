package dev.pagecache.sample;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.AbstractFlashMapManager;
import org.springframework.web.util.WebUtils;

/**
 * Keeps flash attributes ({@code RedirectAttributes.addFlashAttribute}) in a short-lived
 * cookie instead of the HTTP session, so that a reader who posts a comment gets the
 * "published" message on the page they are sent back to, and still no session.
 * <p>
 * pagecache treats this cookie as it treats any cookie that is not on its ignore list: as
 * a credential. The request that brings it back is therefore rendered for this reader
 * alone ({@code X-Page-Cache: BYPASS}) and its response, which shows the message and
 * deletes the cookie, is never stored. The reader's next request carries no cookie and is
 * served from the cache again; so is everyone else's meanwhile. Spring MVC's default,
 * flash attributes in the session, works with pagecache in the same way, but its session
 * cookie would make every later page of the reader bypass the cache.
 * <p>
 * Only text values fit. The cookie is not signed: a reader who edits it changes only what
 * their own browser shows (the views print flash attributes as escaped text).
 *
 * @author pagecache
 */
@Component(DispatcherServlet.FLASH_MAP_MANAGER_BEAN_NAME)
class CookieFlashMapManager extends AbstractFlashMapManager {

	/** The cookie's name. */
	static final String COOKIE = "blog_flash";

	private static final int MAX_LENGTH = 3000;

	private static final String PATH = "path";

	private static final String EXPIRES = "expires";

	private static final String PARAM = "param.";

	private static final String ATTRIBUTE = "attr.";

	@Override
	protected List<FlashMap> retrieveFlashMaps(HttpServletRequest request) {
		Cookie cookie = WebUtils.getCookie(request, COOKIE);
		if (cookie == null) {
			return null;
		}
		try {
			return decode(cookie.getValue());
		}
		catch (IllegalArgumentException ex) {
			// not a value this class wrote: nothing to show
			return null;
		}
	}

	@Override
	protected void updateFlashMaps(List<FlashMap> flashMaps, HttpServletRequest request, HttpServletResponse response) {
		if (flashMaps.isEmpty() && WebUtils.getCookie(request, COOKIE) == null) {
			return;
		}
		String contextPath = request.getContextPath();
		ResponseCookie cookie = ResponseCookie.from(COOKIE, flashMaps.isEmpty() ? "" : encode(flashMaps))
			.path(contextPath.isEmpty() ? "/" : contextPath)
			.maxAge(flashMaps.isEmpty() ? Duration.ZERO : Duration.ofSeconds(getFlashMapTimeout()))
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.build();
		response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
	}

	/**
	 * No lock: the flash maps live in each reader's own cookie, not in shared state.
	 */
	@Override
	protected Object getFlashMapsMutex(HttpServletRequest request) {
		return null;
	}

	static String encode(List<FlashMap> flashMaps) {
		StringJoiner value = new StringJoiner(".");
		for (FlashMap flashMap : flashMaps) {
			StringJoiner form = new StringJoiner("&");
			if (flashMap.getTargetRequestPath() != null) {
				form.add(field(PATH, flashMap.getTargetRequestPath()));
			}
			form.add(field(EXPIRES, Long.toString(flashMap.getExpirationTime())));
			flashMap.getTargetRequestParams()
				.forEach((name, values) -> values.forEach((param) -> form.add(field(PARAM + name, param))));
			flashMap.forEach((name, attribute) -> {
				if (!(attribute instanceof String text)) {
					throw new IllegalArgumentException("Flash attribute '" + name + "' is a "
							+ ((attribute != null) ? attribute.getClass().getName() : "null")
							+ ": the flash cookie carries text only");
				}
				form.add(field(ATTRIBUTE + name, text));
			});
			value.add(Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(form.toString().getBytes(StandardCharsets.UTF_8)));
		}
		if (value.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("Flash attributes take " + value.length()
					+ " characters in a cookie, more than " + MAX_LENGTH + ": keep them short");
		}
		return value.toString();
	}

	static List<FlashMap> decode(String value) {
		List<FlashMap> flashMaps = new ArrayList<>();
		for (String encoded : value.split("\\.", -1)) {
			FlashMap flashMap = new FlashMap();
			String form = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
			for (String field : form.split("&", -1)) {
				int equals = field.indexOf('=');
				if (equals < 0) {
					throw new IllegalArgumentException("Not a field of a flash cookie: " + field);
				}
				String name = URLDecoder.decode(field.substring(0, equals), StandardCharsets.UTF_8);
				read(flashMap, name, URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8));
			}
			flashMaps.add(flashMap);
		}
		return flashMaps;
	}

	private static void read(FlashMap flashMap, String name, String value) {
		if (name.equals(PATH)) {
			flashMap.setTargetRequestPath(value);
		}
		else if (name.equals(EXPIRES)) {
			flashMap.setExpirationTime(Long.parseLong(value));
		}
		else if (name.startsWith(PARAM)) {
			flashMap.addTargetRequestParam(name.substring(PARAM.length()), value);
		}
		else if (name.startsWith(ATTRIBUTE)) {
			flashMap.put(name.substring(ATTRIBUTE.length()), value);
		}
		else {
			throw new IllegalArgumentException("Not a field of a flash cookie: " + name);
		}
	}

	private static String field(String name, String value) {
		return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
