package dev.pagecache.sample;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The authors.
 *
 * @author pagecache
 */
public interface AuthorRepository extends JpaRepository<Author, Long> {

	/**
	 * The author new posts from the admin area are signed with: the first one.
	 * @return the author with the lowest id
	 */
	Optional<Author> findFirstByOrderByIdAsc();

}
