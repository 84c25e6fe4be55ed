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

	@Test
	void postgresTruncateOfSeveralTablesWritesEachOfThem() {
		assertThat(MutationStatements.targets("truncate blog_comments, only blog_posts * restart identity cascade"))
			.containsExactly("blog_comments", "blog_posts");
		assertThat(
				MutationStatements.targets("TRUNCATE TABLE ONLY blog_media, \"blog\".\"blog_posts\" CONTINUE IDENTITY"))
			.containsExactly("blog_media", "\"blog\".\"blog_posts\"");
	}

	@Test
	void postgresDollarQuotedLiteralDoesNotHideTheWriteAfterIt() {
		assertThat(MutationStatements
			.targets("with note as (select $$it's$$ as s) update blog_posts set title = title || (select s from note)"))
			.containsExactly("blog_posts");
		assertThat(MutationStatements.targets(
				"with note as (select $q$it's $$ done$q$ as s) delete from blog_comments where text = (select s from note)"))
			.containsExactly("blog_comments");
		// positional parameters are not quotes
		assertThat(MutationStatements.targets("update blog_posts set title = $1 where id = $2"))
			.containsExactly("blog_posts");
	}

	@Test
	void postgresWritesInsideADoBlockCount() {
		assertThat(MutationStatements.targets("do $$ begin delete from blog_comments where text like 'x%'; end $$"))
			.containsExactly("blog_comments");
		assertThat(MutationStatements.targets(
				"do $body$ begin update blog_posts set title = 'it''s'; insert into blog_comments values (1); end $body$"))
			.containsExactly("blog_posts", "blog_comments");
	}

	@Test
	void postgresEscapeStringLiteralDoesNotHideTheWriteAfterIt() {
		assertThat(MutationStatements
			.targets("with note as (select E'it\\'s' as s) update blog_posts set title = (select s from note)"))
			.containsExactly("blog_posts");
		assertThat(MutationStatements
			.targets("with note as (select e'a\\\\' as s) update blog_posts set title = (select s from note)"))
			.containsExactly("blog_posts");
		// in a standard string, a backslash is a character: the literal ends at the quote
		assertThat(MutationStatements.targets("with note as (select 'C:\\' as s) delete from blog_comments"))
			.containsExactly("blog_comments");
	}

}
