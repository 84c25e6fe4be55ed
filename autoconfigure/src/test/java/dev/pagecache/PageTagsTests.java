package dev.pagecache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageTags}.
 */
class PageTagsTests {

	@Test
	void childrenTagFollowsTheInstanceTag() {
		assertThat(PageTags.childrenOf("Post", 42)).isEqualTo("Post#42:children");
		assertThat(PageTags.childrenOf(Object.class, "a")).isEqualTo("Object#a:children");
	}

	@Test
	void declaredInstanceTagAlsoDependsOnTheChildren() {
		assertThat(PageTags.childrenOfDeclared("Post#42")).isEqualTo("Post#42:children");
	}

	@Test
	void declaredTagThatNamesNoInstanceHasNoChildren() {
		assertThat(PageTags.childrenOfDeclared("sidebar")).isNull();
		assertThat(PageTags.childrenOfDeclared("Post")).isNull();
		assertThat(PageTags.childrenOfDeclared("Post:*")).isNull();
		assertThat(PageTags.childrenOfDeclared("Post#42:children")).isNull();
		assertThat(PageTags.childrenOfDeclared("#42")).isNull();
		assertThat(PageTags.childrenOfDeclared("Post#")).isNull();
		assertThat(PageTags.childrenOfDeclared(PageTags.path("/posts/1#top"))).isNull();
		assertThat(PageTags.childrenOfDeclared(PageTags.route("/posts/{id}#x"))).isNull();
	}

}
