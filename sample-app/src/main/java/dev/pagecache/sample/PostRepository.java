package dev.pagecache.sample;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The posts. Every finder fetches what its page shows, so views never trigger lazy loads.
 *
 * @author pagecache
 */
public interface PostRepository extends JpaRepository<Post, Long> {

	@EntityGraph(attributePaths = { "author", "category" })
	Page<Post> findByOrderByPublishedAtDescIdDesc(Pageable pageable);

	@EntityGraph(attributePaths = { "author", "category" })
	List<Post> findTop50ByOrderByPublishedAtDescIdDesc();

	@EntityGraph(attributePaths = { "author", "category" })
	Optional<Post> findWithAuthorAndCategoryById(Long id);

	@EntityGraph(attributePaths = "author")
	Page<Post> findByCategoryOrderByPublishedAtDescIdDesc(Category category, Pageable pageable);

	@EntityGraph(attributePaths = "category")
	List<Post> findByAuthorOrderByPublishedAtDescIdDesc(Author author);

}
