package dev.pagecache.edge;

/**
 * Purges pages from one kind of shared cache in front of the application (Varnish, nginx,
 * a CDN), at every endpoint of that kind. Define one as a bean to add an edge; the
 * built-in ones are configured under {@code pagecache.edge.*}.
 * <p>
 * Called in the thread that committed a write, before the write's request returns, and
 * once more after {@code pagecache.edge.repurge-delay}; a purge that throws
 * {@link EdgePurgeException} is queued and retried with backoff. Implementations are
 * thread-safe and bound the time one call may take.
 *
 * @author pagecache
 */
public interface EdgePurger {

	/**
	 * Whether this edge purges by tag; if not, it is given the URLs of the tagged pages.
	 * @return {@code true} for a tag-capable edge (Varnish with xkey, Fastly, Cloudflare)
	 */
	boolean purgesByTag();

	/**
	 * Purges the targets: an edge that purges by tag gets the tokens of the invalidated
	 * tags, and the URLs of those invalidated pages whose tags did not fit in the tag
	 * header; any other edge gets the URLs of every invalidated page.
	 * {@link EdgePurge#isEverything()} asks for every page.
	 * @param purge what to purge
	 * @throws EdgePurgeException (unchecked) on a failure worth retrying
	 */
	void purge(EdgePurge purge);

	/**
	 * A name for this purger, unique among the application's purgers: failed purges are
	 * queued under it, so that the purger of the same name retries them, also on another
	 * instance.
	 * @return the name, by default the simple name of the class
	 */
	default String name() {
		return getClass().getSimpleName();
	}

}
