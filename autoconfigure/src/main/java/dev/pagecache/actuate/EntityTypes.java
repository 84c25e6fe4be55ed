package dev.pagecache.actuate;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/**
 * The entity types that {@code entities/...} selectors may name: with JPA, the entity
 * names of the application's persistence units (as tags name them); without, any name
 * that could be an entity's. A selector that names another is a {@code 400} that says
 * which names exist, so that a typo is not mistaken for an entity no page shows.
 *
 * @author pagecache
 */
final class EntityTypes {

	/** Any name that could be an entity's: no persistence unit to ask. */
	static final EntityTypes ANY = new EntityTypes(Set::of);

	private static final Pattern ENTITY_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");

	/** The most names an error message lists. */
	private static final int MAX_LISTED = 30;

	private final Supplier<Set<String>> names;

	private volatile @Nullable Set<String> known;

	/**
	 * Entity types read once, on first use (when the persistence units exist).
	 * @param names the entity names; none accepts any plain name
	 */
	EntityTypes(Supplier<Set<String>> names) {
		this.names = names;
	}

	/**
	 * Check that a selector segment names an entity type.
	 * @param name the segment, such as {@code Post}
	 * @return the name
	 * @throws InvalidEndpointRequestException (a {@code 400}) saying what is wrong and
	 * which names exist
	 */
	String check(String name) {
		if (!ENTITY_NAME.matcher(name).matches()) {
			throw invalid("'" + name + "' is not an entity name: use entities/Post or entities/Post/42,"
					+ " or tags/... for any other tag");
		}
		Set<String> known = known();
		if (known.isEmpty() || known.contains(name)) {
			return name;
		}
		String close = known.stream().filter(name::equalsIgnoreCase).findFirst().map((n) -> " (" + n + "?)").orElse("");
		throw invalid("Unknown entity type '" + name + "'" + close + ": the entity types are " + listed(known)
				+ "; tags/... names any other tag");
	}

	/**
	 * Check that a selector segment names an identifier.
	 * @param id the segment
	 * @return the identifier
	 */
	static String checkId(String id) {
		if (id.isBlank()) {
			throw invalid("Name the entity's identifier: entities/Post/42");
		}
		return id;
	}

	private Set<String> known() {
		Set<String> known = this.known;
		if (known == null) {
			try {
				known = new TreeSet<>(this.names.get());
			}
			catch (RuntimeException ex) {
				return Set.of(); // persistence units closed or failing: accept any name
			}
			this.known = known;
		}
		return known;
	}

	private static String listed(Set<String> known) {
		String names = String.join(", ", known.stream().limit(MAX_LISTED).toList());
		return (known.size() > MAX_LISTED) ? names + ", ..." : names;
	}

	private static InvalidEndpointRequestException invalid(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

}
