package dev.pagecache.actuate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
	 * An entity type ({@code entities/Post}) or one entity ({@code entities/Post/42}), by
	 * every tag that names it.
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
		throw invalid("Unknown kind '" + selector + "': use one of " + ACCEPTED);
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
	 * Why a URL pattern names no page.
	 * @param page the pattern
	 * @param pages the patterns that exist
	 * @return the message
	 */
	static String unknownPage(String page, Set<String> pages) {
		return "No page has the URL pattern '" + page + "': the patterns are " + String.join(", ", pages)
				+ " (pages/posts/%7Bid%7D names /posts/{id})";
	}

	/**
	 * A page's URL pattern, if it is one of the patterns that exist.
	 * @param page the URL pattern
	 * @param pages the patterns that exist
	 * @return the pattern
	 * @throws InvalidEndpointRequestException if it is not one of them
	 */
	static String known(String page, Set<String> pages) {
		if (!pages.contains(page)) {
			throw new InvalidEndpointRequestException(unknownPage(page, pages), unknownPage(page, pages));
		}
		return page;
	}

	/**
	 * The tags that the segments after this kind name: for an entity, every tag
	 * {@link dev.pagecache.PageCache#invalidateEntity(Class, Object)} drops, for an
	 * entity type every tag {@link dev.pagecache.PageCache#invalidateType(String)} drops.
	 * @param segments the segments
	 * @param entityTypes the entity types an {@code entities/} selector may name
	 * @return the tags
	 * @throws InvalidEndpointRequestException if they name no tag or no entity
	 */
	List<String> tags(String[] segments, EntityTypes entityTypes) {
		return switch (this) {
			case PAGES -> List.of(PageTags.route(page(segments)));
			case TAGS -> List.of(tag(segments));
			case ENTITIES -> entityTags(segments, entityTypes);
		};
	}

	private static String tag(String[] segments) {
		String tag = String.join("/", segments);
		if (tag.isEmpty()) {
			throw invalid("Name a tag: tags/Post%2342 (# is %23)");
		}
		return tag;
	}

	private static List<String> entityTags(String[] segments, EntityTypes entityTypes) {
		if (segments.length == 1) {
			return PageTags.ofType(entityTypes.check(segments[0]));
		}
		if (segments.length == 2) {
			return PageTags.ofEntity(entityTypes.check(segments[0]), EntityTypes.checkId(segments[1]));
		}
		throw invalid("Name an entity type (entities/Post) or an entity (entities/Post/42), not "
				+ ((segments.length == 0) ? "nothing" : String.join("/", segments)));
	}

	private static InvalidEndpointRequestException invalid(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

}
