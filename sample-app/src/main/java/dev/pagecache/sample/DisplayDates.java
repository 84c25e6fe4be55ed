package dev.pagecache.sample;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Dates as the templates show them ({@code ${@dates.day(post.publishedAt)}}): in English
 * and UTC whatever the request, so a page's bytes depend on nothing but its URL.
 *
 * @author pagecache
 */
@Component("dates")
public class DisplayDates {

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter MINUTE = DateTimeFormatter
		.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

	public String day(Instant instant) {
		return DAY.format(instant);
	}

	public String minute(Instant instant) {
		return MINUTE.format(instant);
	}

	public String iso(Instant instant) {
		return ISO.format(instant);
	}

}
