package dev.pagecache.web;

import java.nio.charset.StandardCharsets;

/**
 * A page body for tests of compression and validators.
 *
 * @author pagecache
 */
final class SamplePage {

	private SamplePage() {
	}

	/** About 25 KB of HTML, like the sample blog's home page. */
	static byte[] html() {
		StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n<main>\n");
		for (int post = 1; html.length() < 25_000; post++) {
			html.append("<article class=\"post\">\n\t<h2><a href=\"/posts/")
				.append(post)
				.append("\">Field note ")
				.append(post)
				.append("</a></h2>\n\t<p class=\"meta\">by author ")
				.append(post % 7)
				.append(" in category ")
				.append(post % 5)
				.append(", ")
				.append(post * 37 % 101)
				.append(" comments</p>\n\t<p>")
				.append(Integer.toHexString(post * 40503))
				.append(" notes on the weather, the birds and the tides of week ")
				.append(post * 13 % 52)
				.append(".</p>\n</article>\n");
		}
		return html.append("</main>\n</body>\n</html>\n").toString().getBytes(StandardCharsets.UTF_8);
	}

}
