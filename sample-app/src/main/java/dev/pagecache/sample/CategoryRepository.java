package dev.pagecache.sample;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/**
 * The categories.
 *
 * @author pagecache
 */
public interface CategoryRepository extends JpaRepository<Category, Long> {

	Optional<Category> findBySlug(String slug);

	List<Category> findAllByOrderByNameAsc();

	/**
	 * Every category with the number of its posts. A projection: it loads no entity, so a
	 * page that shows it declares what it depends on.
	 * @return the categories by name
	 */
	@Query("""
			select c.name as name, c.slug as slug, count(p) as posts
			from Category c left join Post p on p.category = c
			group by c.id, c.name, c.slug
			order by c.name""")
	List<CategoryPostCount> findAllWithPostCounts();

	/**
	 * A category and how many posts it has.
	 */
	interface CategoryPostCount {

		String getName();

		String getSlug();

		long getPosts();

	}

}
