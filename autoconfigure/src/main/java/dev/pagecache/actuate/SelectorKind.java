package dev.pagecache.actuate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import dev.pagecache.PageTags;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * What the first selector of {@code /actuator/pagecache/{kind}/{name...}} names, and how
 * the remaining segments name it.
 *
 * @author pagecache
 */
enum SelectorKind {

	/**
	 * A route, by its URL pattern without the leading {@code /}:
	 * {@code pages/posts/{id}}; no segment is the root page.
	 */
	PAGES,

	/**
	 * A tag, its segments joined with {@code /}: {@code tags/Post#42},
	 * {@code tags/route:/posts/{id}}.
	 */
	TAGS,

	/**
	 * An entity type ({@code entities/Post}) or one entity ({@code entities/Post/42}).
	 */
	ENTITIES;

	private static final String ACCEPTED = Arrays.stream(values())
		.map(SelectorKind::selector)
		.collect(Collectors.joining(", "));

	private final String selector = name().toLowerCase(Locale.ROOT);

	/**
	 * The kind a selector names.
	 * @param selector the first selector, such as {@code pages}
	 * @return the kind
	 * @throws InvalidEndpointRequestException (a {@code 400}) naming the accepted kinds
	 * if the selector names none
	 */
	static SelectorKind parse(String selector) {
		for (SelectorKind kind : values()) {
			if (kind.selector.equals(selector)) {
				return kind;
			}
		}
		String message = "Unknown kind '" + selector + "': use one of " + ACCEPTED;
		throw new InvalidEndpointRequestException(message, message);
	}

	/**
	 * The selector that names this kind.
	 * @return the lower-case name, such as {@code pages}
	 */
	String selector() {
		return this.selector;
	}

	/**
	 * The URL pattern that the segments after {@code pages} name.
	 * @param segments the segments
	 * @return the pattern, with its leading {@code /}
	 */
	static String page(String[] segments) {
		return "/" + String.join("/", segments);
	}

	/**
	 * The tags that the segments after this kind name.
	 * @param segments the segments
	 * @return the tags
	 * @throws InvalidEndpointRequestException if they name no tag or no entity
	 */
	List<String> tags(String[] segments) {
		return switch (this) {
			case PAGES -> List.of(PageTags.route(page(segments)));
			case TAGS -> List.of(tag(segments));
			case ENTITIES -> entityTags(segments);
		};
	}

	private static String tag(String[] segments) {
		String tag = String.join("/", segments);
		if (tag.isEmpty()) {
			throw new InvalidEndpointRequestException("Name a tag (tags/Post%2342)", "Missing tag");
		}
		return tag;
	}

	private static List<String> entityTags(String[] segments) {
		if (segments.length == 1) {
			return List.of(segments[0], PageTags.anyOf(segments[0]));
		}
		if (segments.length == 2) {
			return List.of(PageTags.entity(segments[0], segments[1]));
		}
		throw new InvalidEndpointRequestException("Name an entity type (entities/Post) or an entity (entities/Post/42)",
				"Invalid entity");
	}

}
