package dev.pagecache.test;

import java.util.List;

/**
 * Raw request targets that a server, a framework or a cache in front may read as the same
 * page as a clean path, or as a static resource: the material of cache deception and path
 * confusion tests.
 */
public final class PathVariants {

	private PathVariants() {
	}

	/**
	 * Variants of a page's path: matrix parameters and a fake static suffix, encoded
	 * {@code ;}, {@code /} and {@code \}, doubled and trailing slashes, case, dot
	 * segments plain and encoded, an encoded unreserved character.
	 * @param collection the first segment, such as {@code articles}
	 * @param id the second segment, such as {@code 1}
	 * @return the raw targets, to be sent as they are
	 */
	public static List<String> of(String collection, String id) {
		String page = "/" + collection + "/" + id;
		String upper = "/" + collection.toUpperCase(java.util.Locale.ROOT) + "/" + id;
		String capitalised = "/" + Character.toUpperCase(collection.charAt(0)) + collection.substring(1) + "/" + id;
		return List.of(page + ";x.css", page + ";jsessionid=0123456789ABCDEF", page + "/x.css", page + "%3Bx.css",
				page + "%3bx.css", page + "%2Fx.css", "/" + collection + "%2F" + id, "/" + collection + "%2f" + id,
				page + "%5Cx.css", "/" + page, "/" + collection + "//" + id, page + "/", upper, capitalised,
				"/" + collection + "/./" + id, "/" + collection + "/x/../" + id, "/./" + collection + "/" + id,
				"/" + collection + "/%2e/" + id, "/" + collection + "/x/%2e%2e/" + id, page + ".css", page + "%00.css",
				"/" + collection + "/%" + Integer.toHexString(id.charAt(0)).toUpperCase());
	}

}
