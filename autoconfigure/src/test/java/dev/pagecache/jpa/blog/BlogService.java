package dev.pagecache.jpa.blog;

import jakarta.persistence.EntityManager;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The blog's writes, each in its own transaction.
 */
@Service
@Transactional
public class BlogService {

	private final EntityManager entityManager;

	private final PostRepository posts;

	BlogService(EntityManager entityManager, PostRepository posts) {
		this.entityManager = entityManager;
		this.posts = posts;
	}

	/**
	 * Four posts in two categories by two authors; posts 1 and 2 have comments, 4 has
	 * one.
	 */
	public Fixture reset() {
		this.entityManager.createNativeQuery("delete from blog_post_topics").executeUpdate();
		this.entityManager.createQuery("delete from Topic").executeUpdate();
		this.entityManager.createQuery("delete from Media").executeUpdate();
		this.entityManager.createQuery("delete from Comment").executeUpdate();
		this.entityManager.createQuery("delete from Post").executeUpdate();
		this.entityManager.createQuery("delete from Author").executeUpdate();
		this.entityManager.createQuery("delete from Category").executeUpdate();
		Author alice = persist(new Author("Alice"));
		Author bob = persist(new Author("Bob"));
		Category java = persist(new Category("Java"));
		Category news = persist(new Category("News"));
		Post p1 = persist(new Post("First", alice, java));
		Post p2 = persist(new Post("Second", alice, java));
		Post p3 = persist(new Post("Third", bob, news));
		Post p4 = persist(new Post("Fourth", bob, news));
		Comment c1 = persist(new Comment(p1, "c1 on first"));
		Comment c2 = persist(new Comment(p1, "c2 on first"));
		Comment c3 = persist(new Comment(p2, "c3 on second"));
		Comment c4 = persist(new Comment(p4, "c4 on fourth"));
		return new Fixture(alice.getId(), bob.getId(), java.getId(), news.getId(),
				new long[] { p1.getId(), p2.getId(), p3.getId(), p4.getId() },
				new long[] { c1.getId(), c2.getId(), c3.getId(), c4.getId() });
	}

	public long addComment(long postId, String text) {
		// a query first, then an insert with an identity column: the query must not make
		// the insert look
		// like a bulk statement
		this.entityManager.createQuery("select count(c) from Comment c where c.post.id = :id", Long.class)
			.setParameter("id", postId)
			.getSingleResult();
		Comment comment = new Comment(this.entityManager.getReference(Post.class, postId), text);
		this.entityManager.persist(comment);
		return comment.getId();
	}

	public void editComment(long commentId, String text) {
		this.entityManager.find(Comment.class, commentId).setText(text);
	}

	public void deleteComment(long commentId) {
		this.entityManager.remove(this.entityManager.find(Comment.class, commentId));
	}

	public void moveComment(long commentId, long toPostId) {
		this.entityManager.find(Comment.class, commentId)
			.setPost(this.entityManager.getReference(Post.class, toPostId));
	}

	public void retitle(long postId, String title) {
		this.entityManager.find(Post.class, postId).setTitle(title);
	}

	public long addPost(long authorId, long categoryId, String title) {
		Post post = new Post(title, this.entityManager.getReference(Author.class, authorId),
				this.entityManager.getReference(Category.class, categoryId));
		this.entityManager.persist(post);
		return post.getId();
	}

	public long addTopic(String name) {
		Topic topic = persist(new Topic(name));
		return topic.getId();
	}

	public void fileUnder(long postId, long topicId) {
		this.entityManager.find(Post.class, postId)
			.getTopics()
			.add(this.entityManager.getReference(Topic.class, topicId));
	}

	public void unfile(long postId, long topicId) {
		this.entityManager.find(Post.class, postId).getTopics().removeIf((topic) -> topic.getId() == topicId);
	}

	public long addImage(String caption, int width) {
		return persist(new Image(caption, width)).getId();
	}

	public void recaption(long mediaId, String caption) {
		this.entityManager.find(Media.class, mediaId).setCaption(caption);
	}

	public int recaptionEveryMedia(String caption) {
		return this.entityManager.createQuery("update Media m set m.caption = :caption")
			.setParameter("caption", caption)
			.executeUpdate();
	}

	public int appendToEveryTitle(String suffix) {
		return this.posts.appendToEveryTitle(suffix);
	}

	public int appendToCommentsOf(long postId, String suffix) {
		return this.posts.appendToCommentsOf(postId, suffix);
	}

	/**
	 * Run a native statement through Hibernate, as an application's
	 * {@code @Modifying @Query(nativeQuery = true)} would.
	 * @param sql the statement, without parameters
	 * @return the number of rows it changed
	 */
	public int executeNative(String sql) {
		return this.entityManager.createNativeQuery(sql).executeUpdate();
	}

	public int nativeRetitle(long postId, String title) {
		return this.entityManager.createNativeQuery("update blog_posts set title = ?1 where id = ?2")
			.setParameter(1, title)
			.setParameter(2, postId)
			.executeUpdate();
	}

	/** Writes, then fails: the transaction rolls back. */
	public void commentAndRetitleThenFail(long postId, String text, String title) {
		addComment(postId, text);
		retitle(postId, title);
		this.entityManager.flush();
		throw new IllegalStateException("rolled back on purpose");
	}

	private <T> T persist(T entity) {
		this.entityManager.persist(entity);
		return entity;
	}

	/**
	 * The identifiers of the fixture.
	 */
	public record Fixture(long alice, long bob, long java, long news, long[] posts, long[] comments) {

		public long post(int number) {
			return this.posts[number - 1];
		}

		public long comment(int number) {
			return this.comments[number - 1];
		}

	}

}
