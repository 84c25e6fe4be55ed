package dev.pagecache.sample;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Drops the pages a write changes, once its transaction has committed. Interim: pagecache's JPA listener
 * will do this by itself for every saved entity, and then this class and its callers go. Until then these
 * are the tags the listener will send (type and instance tags of what changed, instance tags of what it
 * references), plus the paths of the pages that will depend on an entity through automatic capture only.
 *
 * @author pagecache
 */
@Component
class ExplicitInvalidation {

	private final ObjectProvider<PageCache> pageCache;

	ExplicitInvalidation(ObjectProvider<PageCache> pageCache) {
		this.pageCache = pageCache;
	}

	void commentChanged(Comment comment) {
		afterCommit(Set.of(PageTags.type(Comment.class), PageTags.entity(Post.class, comment.getPost().getId())));
	}

	void postChanged(Post post, Category previousCategory) {
		Set<String> tags = new LinkedHashSet<>();
		tags.add(PageTags.type(Post.class));
		tags.add(PageTags.entity(Post.class, post.getId()));
		tags.add(PageTags.entity(Author.class, post.getAuthor().getId()));
		// the category pages will carry Category#id once entities are captured
		tags.add(PageTags.path("/categories/" + previousCategory.getSlug()));
		tags.add(PageTags.path("/categories/" + post.getCategory().getSlug()));
		afterCommit(tags);
	}

	private void afterCommit(Set<String> tags) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			invalidate(tags);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				invalidate(tags);
			}

		});
	}

	private void invalidate(Set<String> tags) {
		this.pageCache.ifAvailable((cache) -> cache.invalidateTags(tags));
	}

}
