package dev.pagecache.jpa;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the tables a statement writes from its SQL.
 */
class MutationStatementsTests {

	@Test
	void selectsWriteNothing() {
		assertThat(MutationStatements.targets("select p1_0.id,p1_0.title from blog_posts p1_0 where p1_0.id=?"))
			.isNull();
		assertThat(MutationStatements.targets("select * from blog_posts where id = ? for update")).isNull();
		assertThat(MutationStatements.targets("select 'update blog_posts' from dual")).isNull();
	}

	@Test
	void targetOfEachKindOfWrite() {
		assertThat(MutationStatements.targets("update blog_posts set title=concat(title,?)"))
			.containsExactly("blog_posts");
		assertThat(MutationStatements.targets("update blog_posts p1_0 set title=? where p1_0.id=?"))
			.containsExactly("blog_posts");
		assertThat(MutationStatements.targets("delete from blog_comments where post_id in (select id from blog_posts)"))
			.containsExactly("blog_comments");
		assertThat(MutationStatements.targets("insert into blog_authors (name) values (?)"))
			.containsExactly("blog_authors");
		assertThat(MutationStatements.targets(
				"merge into blog_posts t using (values (?)) s(id) on t.id=s.id when matched then update set title=?"))
			.containsExactly("blog_posts");
		assertThat(MutationStatements.targets("truncate table blog_comments")).containsExactly("blog_comments");
	}

	@Test
	void commentsAndLiteralsAreSkippedAndQualifiedOrQuotedNamesKept() {
		assertThat(MutationStatements
			.targets("/* update Post */ -- delete\n update \"blog\".\"Blog_Posts\" set x='delete from a'"))
			.containsExactly("\"blog\".\"blog_posts\"");
		assertThat(EntityModel.normalize("\"blog\".\"Blog_Posts\"")).isEqualTo("blog_posts");
		assertThat(EntityModel.normalize("public.blog_posts")).isEqualTo("blog_posts");
		assertThat(EntityModel.normalize("[blog_posts]")).isEqualTo("blog_posts");
	}

	@Test
	void writesInsideCommonTableExpressionsCount() {
		assertThat(MutationStatements
			.targets("with d as (delete from blog_comments where post_id=? returning id) select count(*) from d"))
			.containsExactly("blog_comments");
	}

}
