package dev.pagecache.jpa;

import java.util.Collection;

import org.jspecify.annotations.Nullable;

/**
 * An entity that a to-one association or a collection references, known by its
 * identifier: a proxy is never initialised to name it. Two references are equal when they
 * name the same row: the same root entity and identifier.
 *
 * @param tags the tags of the entity type, as far as the reference knows it
 * @param id the identifier
 * @author pagecache
 */
record EntityReference(EntityTags tags, Object id) {

	static void addTo(Collection<String> tags, @Nullable EntityReference reference) {
		if (reference != null) {
			reference.tags.addInstance(tags, reference.id);
		}
	}

	static void addChildrenTo(Collection<String> tags, @Nullable EntityReference reference) {
		if (reference != null) {
			reference.tags.addChildren(tags, reference.id);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof EntityReference that && this.tags.root().equals(that.tags.root())
				&& this.id.equals(that.id);
	}

	@Override
	public int hashCode() {
		return this.tags.root().hashCode() * 31 + this.id.hashCode();
	}

}
