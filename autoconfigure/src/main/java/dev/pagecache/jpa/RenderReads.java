package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * What the page of one request has read so far, for its children tags: a page depends on
 * the children of an entity it loaded ({@code Post#7:children}) once it has also read
 * children of that entity's type (a statement named the table of the comments). Either
 * may come first, so the entities loaded with children not yet read wait here. Kept in
 * the request's attributes; not thread-safe, like the render it follows.
 *
 * @author pagecache
 */
final class RenderReads {

	private final Set<String> childrenRead = new HashSet<>();

	private final Map<String, List<EntityReference>> waiting = new HashMap<>();

	/**
	 * The reads of the current request, created on first use.
	 * @param attribute the request attribute that holds them
	 * @return the reads, or {@code null} outside a request
	 */
	static @Nullable RenderReads current(String attribute) {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request == null) {
			return null;
		}
		RenderReads reads = (RenderReads) request.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST);
		if (reads == null) {
			reads = new RenderReads();
			request.setAttribute(attribute, reads, RequestAttributes.SCOPE_REQUEST);
		}
		return reads;
	}

	/**
	 * An entity that has children was loaded.
	 * @param entity the entity
	 * @param dependencies where to add its children tags, if its type's children were
	 * read already
	 */
	void loaded(EntityReference entity, Collection<String> dependencies) {
		String type = entity.tags().root();
		if (this.childrenRead.contains(type)) {
			EntityReference.addChildrenTo(dependencies, entity);
		}
		else {
			this.waiting.computeIfAbsent(type, (t) -> new ArrayList<>()).add(entity);
		}
	}

	/**
	 * A statement read the children of entity types.
	 * @param types the root entity names
	 * @param dependencies where to add the children tags of the entities of those types
	 * loaded so far
	 */
	void read(Set<String> types, Collection<String> dependencies) {
		for (String type : types) {
			if (this.childrenRead.add(type)) {
				List<EntityReference> entities = this.waiting.remove(type);
				if (entities != null) {
					entities.forEach((entity) -> EntityReference.addChildrenTo(dependencies, entity));
				}
			}
		}
	}

}
