package dev.pagecache.jpa.blog;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface PostRepository extends JpaRepository<Post, Long> {

	List<Post> findByCategoryIdOrderById(long categoryId);

	@Modifying
	@Query("update Post p set p.title = concat(p.title, :suffix)")
	int appendToEveryTitle(String suffix);

	@Modifying
	@Query("update Comment c set c.text = concat(c.text, :suffix) where c.post.id = :postId")
	int appendToCommentsOf(long postId, String suffix);

}
