package dev.pagecache.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;
import org.springframework.web.util.HtmlUtils;

/**
 * An HTML file from this package's resources with {@code {{name}}} placeholders. Every
 * value is HTML-escaped, except {@link Html} values, which are markup this class
 * rendered: so text from requests, tags or entity types can never become markup.
 *
 * @author pagecache
 */
final class HtmlTemplate {

	private static final String OPEN = "{{";

	private static final String CLOSE = "}}";

	private final String name;

	/** The text between placeholders, one more than {@link #placeholders}. */
	private final List<String> texts = new ArrayList<>();

	private final List<String> placeholders = new ArrayList<>();

	private HtmlTemplate(String name, String source) {
		this.name = name;
		int from = 0;
		int open = source.indexOf(OPEN);
		while (open >= 0) {
			int close = source.indexOf(CLOSE, open);
			Assert.state(close > open, () -> "Unclosed placeholder in " + name);
			this.texts.add(source.substring(from, open));
			this.placeholders.add(source.substring(open + OPEN.length(), close));
			from = close + CLOSE.length();
			open = source.indexOf(OPEN, from);
		}
		this.texts.add(source.substring(from));
	}

	/**
	 * Read a template once, so that rendering parses nothing.
	 * @param name the file name, relative to this package
	 * @return the template
	 */
	static HtmlTemplate load(String name) {
		try (InputStream in = HtmlTemplate.class.getResourceAsStream(name)) {
			Assert.state(in != null, () -> "No template " + name + " next to " + HtmlTemplate.class.getName());
			return new HtmlTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read template " + name, ex);
		}
	}

	/**
	 * Read a resource that is markup as it is, such as a script, once.
	 * @param name the file name, relative to this package
	 * @return the markup
	 */
	static Html resource(String name) {
		try (InputStream in = HtmlTemplate.class.getResourceAsStream(name)) {
			Assert.state(in != null, () -> "No resource " + name + " next to " + HtmlTemplate.class.getName());
			return new Html(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + name, ex);
		}
	}

	/**
	 * Fill the placeholders.
	 * @param values the value of each placeholder: {@link Html} as it is, anything else
	 * as escaped text
	 * @return the markup
	 * @throws IllegalStateException if a placeholder has no value
	 */
	Html render(Map<String, ?> values) {
		StringBuilder html = new StringBuilder(1024);
		for (int i = 0; i < this.placeholders.size(); i++) {
			html.append(this.texts.get(i));
			String placeholder = this.placeholders.get(i);
			Object value = values.get(placeholder);
			Assert.state(value != null, () -> "No value for {{" + placeholder + "}} in " + this.name);
			html.append(
					(value instanceof Html markup) ? markup.markup() : HtmlUtils.htmlEscape(value.toString(), "UTF-8"));
		}
		html.append(this.texts.get(this.texts.size() - 1));
		return new Html(html.toString());
	}

	/**
	 * Markup, inserted without escaping.
	 *
	 * @param markup the markup
	 */
	record Html(String markup) {

		/**
		 * Pieces of markup one after the other.
		 * @param pieces the pieces
		 * @return the markup
		 */
		static Html join(List<Html> pieces) {
			StringBuilder html = new StringBuilder();
			pieces.forEach((piece) -> html.append(piece.markup()));
			return new Html(html.toString());
		}

	}

}
