package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RenderReads}: a page depends on an entity's children once it has
 * loaded the entity and read children of its type, in either order.
 */
class RenderReadsTests {

	private final RenderReads reads = new RenderReads();

	@Test
	void entityLoadedAfterItsChildrenWereReadDependsOnThemAtOnce() {
		List<String> tags = new ArrayList<>();
		this.reads.read(Set.of("Post"), tags);
		assertThat(tags).isEmpty();
		this.reads.loaded(post(7), tags);
		assertThat(tags).containsExactly("Post#7:children");
	}

	@Test
	void entitiesLoadedBeforeTheirChildrenWereReadDependOnThemWhenTheyAre() {
		List<String> tags = new ArrayList<>();
		this.reads.loaded(post(7), tags);
		this.reads.loaded(post(8), tags);
		assertThat(tags).isEmpty();
		this.reads.read(Set.of("Post"), tags);
		assertThat(tags).containsExactly("Post#7:children", "Post#8:children");
		tags.clear();
		this.reads.read(Set.of("Post"), tags);
		assertThat(tags).isEmpty();
	}

	@Test
	void readingTheChildrenOfAnotherTypeAddsNothing() {
		List<String> tags = new ArrayList<>();
		this.reads.loaded(post(7), tags);
		this.reads.read(Set.of("Category"), tags);
		assertThat(tags).isEmpty();
	}

	private static EntityReference post(long id) {
		return new EntityReference(EntityTags.named("Post"), id);
	}

}
