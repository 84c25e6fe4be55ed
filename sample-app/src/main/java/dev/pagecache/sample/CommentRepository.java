package dev.pagecache.sample;

import java.util.Collection;
import java.util.List;

import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * The comments.
 *
 * @author pagecache
 */
public interface CommentRepository extends JpaRepository<Comment, Long> {

	List<Comment> findByPostOrderByCreatedAtAscIdAsc(Post post);

	@EntityGraph(attributePaths = "post")
	List<Comment> findTop5ByOrderByCreatedAtDescIdDesc();

	@EntityGraph(attributePaths = "post")
	List<Comment> findTop30ByOrderByCreatedAtDescIdDesc();

	long countByPostId(Long postId);

	/**
	 * How many comments each of some posts has. A projection: it loads no entity, so a
	 * page that shows it declares what it depends on.
	 * @param postIds the posts
	 * @return one row per post that has comments
	 */
	@Query("""
			select c.post.id as postId, count(c) as comments
			from Comment c where c.post.id in :postIds
			group by c.post.id""")
	List<CommentCount> countByPostIds(Collection<Long> postIds);

	/**
	 * A post and how many comments it has.
	 */
	interface CommentCount {

		Long getPostId();

		long getComments();

	}

}
