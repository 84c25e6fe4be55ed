package dev.pagecache.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SelectorKind}.
 */
class SelectorKindTests {

	@Test
	void eachKindIsParsedFromItsLowerCaseName() {
		assertThat(SelectorKind.parse("pages")).isEqualTo(SelectorKind.PAGES);
		assertThat(SelectorKind.parse("tags")).isEqualTo(SelectorKind.TAGS);
		assertThat(SelectorKind.parse("entities")).isEqualTo(SelectorKind.ENTITIES);
	}

	@Test
	void anUnknownKindIsABadRequestThatNamesTheAcceptedOnes() {
		for (String selector : new String[] { "widgets", "PAGES", "page", "" }) {
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> SelectorKind.parse(selector))
				.withMessage("Unknown kind '" + selector + "': use one of pages, tags, entities")
				.satisfies((ex) -> assertThat(ex.getReason()).contains("pages, tags, entities"));
		}
	}

	@Test
	void segmentsNameARouteATagAnEntityOrAnEntityType() {
		assertThat(SelectorKind.page(new String[] { "posts", "{id}" })).isEqualTo("/posts/{id}");
		assertThat(SelectorKind.page(new String[0])).isEqualTo("/");
		assertThat(SelectorKind.PAGES.tags(new String[] { "posts", "{id}" })).containsExactly("route:/posts/{id}");
		assertThat(SelectorKind.TAGS.tags(new String[] { "route:", "posts", "{id}" }))
			.containsExactly("route:/posts/{id}");
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "Post", "42" })).containsExactly("Post#42");
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "Post" })).containsExactly("Post", "Post:*");
	}

	@Test
	void segmentsThatNameNothingAreABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.TAGS.tags(new String[0]))
			.withMessageContaining("Name a tag");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[] { "Post", "1", "2" }))
			.withMessageContaining("entities/Post/42");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[0]))
			.withMessageContaining("entities/Post");
	}

}
