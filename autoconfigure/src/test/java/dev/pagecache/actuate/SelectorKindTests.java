package dev.pagecache.actuate;

import java.util.Set;

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
		assertThat(SelectorKind.PAGES.tags(new String[] { "posts", "{id}" }, EntityTypes.ANY))
			.containsExactly("route:/posts/{id}");
		assertThat(SelectorKind.TAGS.tags(new String[] { "route:", "posts", "{id}" }, EntityTypes.ANY))
			.containsExactly("route:/posts/{id}");
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "Post", "42" }, EntityTypes.ANY))
			.as("what invalidateEntity drops")
			.containsExactly("Post#42", "Post#42.*", "Post#42:children");
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "Post" }, EntityTypes.ANY)).as("what invalidateType drops")
			.containsExactly("Post", "Post:*");
	}

	@Test
	void segmentsThatNameNothingAreABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.TAGS.tags(new String[0], EntityTypes.ANY))
			.withMessageContaining("Name a tag")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ex.getMessage()));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[] { "Post", "1", "2" }, EntityTypes.ANY))
			.withMessageContaining("entities/Post/42")
			.withMessageEndingWith("not Post/1/2");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[0], EntityTypes.ANY))
			.withMessageContaining("entities/Post");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[] { "Post", " " }, EntityTypes.ANY))
			.withMessage("Name the entity's identifier: entities/Post/42");
	}

	@Test
	void anEntitySelectorNamesAnEntityTypeTheApplicationHas() {
		EntityTypes jpa = new EntityTypes(() -> Set.of("Post", "Comment", "Author"));
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "Comment", "7" }, jpa)).first().isEqualTo("Comment#7");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[] { "Pots", "7" }, jpa))
			.withMessage("Unknown entity type 'Pots': the entity types are Author, Comment, Post;"
					+ " tags/... names any other tag")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(ex.getMessage()));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[] { "post" }, jpa))
			.withMessageStartingWith("Unknown entity type 'post' (Post?): the entity types are");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> SelectorKind.ENTITIES.tags(new String[] { "Post#7" }, EntityTypes.ANY))
			.withMessageStartingWith("'Post#7' is not an entity name: use entities/Post or entities/Post/42");
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "News" }, EntityTypes.ANY))
			.as("without JPA, any plain name")
			.containsExactly("News", "News:*");
		EntityTypes failing = new EntityTypes(() -> {
			throw new IllegalStateException("EntityManagerFactory is closed");
		});
		assertThat(SelectorKind.ENTITIES.tags(new String[] { "News" }, failing)).contains("News");
	}

}
