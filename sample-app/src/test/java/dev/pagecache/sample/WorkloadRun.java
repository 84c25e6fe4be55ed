package dev.pagecache.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import dev.pagecache.PageCache;
import dev.pagecache.PageTags;
import dev.pagecache.sample.WorkloadFigures.WriteKind;
import dev.pagecache.sample.benchmark.InvalidationPolicy;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.RedisServerProcess;
import dev.pagecache.test.TestHttp;
import dev.pagecache.web.PageCacheAutoConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Drives a {@link Workload} over HTTP against the sample blog, started in this JVM with
 * the {@code benchmark} profile and one {@link InvalidationPolicy}, and measures it.
 * <p>
 * The ground truth: before each write, the driver asks the page cache which pages it
 * holds; after the write has returned, it renders each of them again with the cache
 * bypassed and compares the result with the page's last known content
 * ({@link PageVersions}). A page whose content differs really changed. A hit whose body
 * is not the page's current content is a stale read, as old as the time since the write
 * that changed the page. With {@link WorkloadSettings.GroundTruth#CONCURRENT} those
 * renders run beside the reads that follow the write, whose results are classified once
 * the renders are known: reads do not change the blog, so any render between two writes
 * is that interval's truth.
 *
 * @author pagecache
 */
final class WorkloadRun {

	private static final List<String> ROUTES = List.of("/", "/posts/{id}", "/categories/{slug}", "/authors/{id}");

	/**
	 * Any cookie off pagecache's ignore list counts as a credential: the request bypasses
	 * the cache.
	 */
	private static final String BYPASS_COOKIE = "workload=ground-truth";

	/** How many writes a dropped page's truth is rendered at, while it is not cached. */
	private static final int DROPPED_PAGES_FOLLOWED = 10;

	private static final String ADMIN_USERNAME = "admin";

	private static final String ADMIN_PASSWORD = "workload-admin";

	private static final Pattern REVISION = Pattern.compile(" \\(revision \\d+\\)$");

	private final TestHttp<String> http;

	private final String keyPrefix;

	private final PageCache pageCache;

	private final PageStore store;

	private final PageCacheAutoConfiguration.@Nullable RefreshAheadStatus refreshAhead;

	private final PostRepository posts;

	private final WorkloadFigures figures;

	private final PageVersions versions = new PageVersions();

	private final Set<String> rendered = new HashSet<>();

	private final ExecutorService renderers;

	private final boolean concurrentGroundTruth;

	/**
	 * The pages writes dropped that were not cached when a later write began, with the
	 * number of the write that dropped them: refresh-ahead may store them again, so their
	 * truth is rendered at the next {@link #DROPPED_PAGES_FOLLOWED} writes too.
	 */
	private final Map<String, Integer> droppedUncached = new HashMap<>();

	/** The ground truth of the last write, while it is being rendered. */
	private GroundTruth pending;

	/**
	 * The reads made while the ground truth was rendered, classified when it is known.
	 */
	private final List<Runnable> unclassified = new ArrayList<>();

	private long lastWriteReturned;

	private String adminSession = "";

	private int writeNumber;

	private WorkloadRun(ConfigurableApplicationContext context, InvalidationPolicy policy, ExecutorService renderers,
			WorkloadSettings.GroundTruth groundTruth) {
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		this.http = TestHttp.text(port);
		this.keyPrefix = "GET http://localhost:" + port;
		this.pageCache = context.getBean(PageCache.class);
		this.store = context.getBean(PageStore.class);
		this.refreshAhead = context.getBeanProvider(PageCacheAutoConfiguration.RefreshAheadStatus.class)
			.getIfAvailable();
		this.posts = context.getBean(PostRepository.class);
		this.figures = new WorkloadFigures(policy);
		this.renderers = renderers;
		this.concurrentGroundTruth = groundTruth == WorkloadSettings.GroundTruth.CONCURRENT;
	}

	/**
	 * Start the blog with a policy, run the workload against it and stop it again.
	 * @param settings how the blog and its store are set up
	 * @param workload the operations
	 * @param policy the invalidation policy
	 * @return what the run measured
	 */
	static WorkloadFigures measure(WorkloadSettings settings, Workload workload, InvalidationPolicy policy) {
		ExecutorService renderers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
		try (RedisServerProcess redis = "redis".equals(settings.store()) ? RedisServerProcess.start() : null) {
			// a warm start needs one port for both blogs: page keys name it
			int port = settings.warmStart() ? freePort() : 0;
			if (settings.warmStart()) {
				try (ConfigurableApplicationContext yesterday = start(settings, policy, redis, port)) {
					new WorkloadRun(yesterday, policy, renderers, settings.groundTruth())
						.drive(Workload.generate(settings.yesterday()));
				}
			}
			try (ConfigurableApplicationContext context = start(settings, policy, redis, port)) {
				WorkloadRun run = new WorkloadRun(context, policy, renderers, settings.groundTruth());
				if (settings.warmStart()) {
					run.deploy();
				}
				return run.drive(workload);
			}
		}
		finally {
			renderers.shutdownNow();
		}
	}

	/**
	 * Clear the cache, as a deploy that changed templates does, and wait until
	 * refresh-ahead has warmed it: until the number of pages it holds has not changed for
	 * a second (at most a minute).
	 */
	private void deploy() {
		this.pageCache.clear();
		long started = System.nanoTime();
		int pages = -1;
		long unchangedSince = started;
		while (System.nanoTime() - unchangedSince < Duration.ofSeconds(1).toNanos()
				&& System.nanoTime() - started < Duration.ofMinutes(1).toNanos()) {
			int now = cachedPages().size();
			if (now != pages) {
				pages = now;
				unchangedSince = System.nanoTime();
			}
			pause(100);
		}
		System.out.printf(Locale.ROOT, "Warm start: %d pages in the cache %.1f s after the clear%n", pages,
				(System.nanoTime() - started) / 1e9);
		// the truth of the warmed pages, which no reader of this run rendered
		long now = System.nanoTime();
		renderBypassingTheCache(cachedPages())
			.forEach((path, render) -> this.versions.record(path, result(render), now));
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static ConfigurableApplicationContext start(WorkloadSettings settings, InvalidationPolicy policy,
			RedisServerProcess redis, int port) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", port);
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("blog.seed.posts", settings.posts());
		properties.put("blog.admin.username", ADMIN_USERNAME);
		properties.put("blog.admin.password", ADMIN_PASSWORD);
		properties.put("blog.benchmark.policy", WorkloadFigures.name(policy));
		if (policy == InvalidationPolicy.TTL_ONLY) {
			properties.put("pagecache.default-ttl", settings.ttl().toMillis() + "ms");
		}
		properties.put("pagecache.store", settings.store());
		if (redis != null) {
			properties.put("spring.data.redis.host", redis.getHost());
			properties.put("spring.data.redis.port", redis.getPort());
		}
		properties.putAll(settings.properties());
		String[] arguments = properties.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(BlogApplication.class).profiles("benchmark").run(arguments);
	}

	private WorkloadFigures drive(Workload workload) {
		this.adminSession = BlogLogin.login(this.http, ADMIN_USERNAME, ADMIN_PASSWORD);
		long start = System.nanoTime();
		long refreshedBefore = refreshed();
		for (Workload.Operation operation : workload.operations()) {
			if (operation instanceof Workload.Read read) {
				read(read.path());
			}
			else if (operation instanceof Workload.Comment comment) {
				write(WriteKind.COMMENT, () -> comment(comment.post()));
			}
			else if (operation instanceof Workload.Edit edit) {
				write(edit.title() ? WriteKind.TITLE_EDIT : WriteKind.BODY_EDIT, () -> edit(edit));
			}
		}
		settle();
		this.figures.elapsed(System.nanoTime() - start);
		this.figures.refreshed(refreshed() - refreshedBefore);
		return this.figures;
	}

	/**
	 * The pages refresh-ahead rendered again so far, none without it.
	 */
	private long refreshed() {
		return (this.refreshAhead != null) ? this.refreshAhead.snapshot().refreshed() : 0;
	}

	private void read(String path) {
		long started = System.nanoTime();
		HttpResponse<String> response = expect(this.http.get(path), 200);
		this.figures.readAfterWrite(started - this.lastWriteReturned, System.nanoTime() - started);
		String result = TestHttp.cacheResult(response);
		if ("MISS".equals(result)) {
			this.figures.render(this.rendered.add(path));
		}
		else if (!"HIT".equals(result)) {
			throw new IllegalStateException("GET " + path + " was neither a hit nor a miss: " + result);
		}
		if (this.pending != null) {
			this.unclassified.add(() -> classify(path, result, response.body(), started));
		}
		else {
			classify(path, result, response.body(), started);
		}
	}

	private void classify(String path, String result, String body, long started) {
		if ("MISS".equals(result)) {
			this.versions.record(path, body, started);
		}
		else if (this.versions.isCurrent(path, body)) {
			this.figures.hit();
		}
		else if (this.versions.outdatedSince(path, body).isPresent()) {
			this.figures.staleHit(started - this.versions.outdatedSince(path, body).getAsLong());
		}
		else if (body.equals(renderBypassingTheCache(path))) {
			// a page not cached when the last write began, rendered since
			// (refresh-ahead):
			// no write has begun since the read, so the render now is its truth
			this.versions.record(path, body, this.lastWriteReturned);
			this.figures.hit();
		}
		else {
			throw new IllegalStateException("A hit of " + path + " served content never rendered");
		}
	}

	private void write(WriteKind kind, Runnable write) {
		settle();
		this.writeNumber++;
		Set<String> before = cachedPages();
		write.run();
		long written = System.nanoTime();
		this.lastWriteReturned = written;
		Set<String> after = cachedPages();
		this.droppedUncached.values().removeIf((dropper) -> this.writeNumber - dropper > DROPPED_PAGES_FOLLOWED);
		Set<String> truths = new HashSet<>(before);
		truths.addAll(this.droppedUncached.keySet());
		this.pending = new GroundTruth(kind, before, after, written, renderBypassingTheCache(truths));
		if (!this.concurrentGroundTruth) {
			settle();
		}
	}

	/**
	 * Wait for the ground truth of the last write, count what it dropped and changed, and
	 * classify the reads made meanwhile, in their order.
	 */
	private void settle() {
		GroundTruth truth = this.pending;
		if (truth == null) {
			return;
		}
		this.pending = null;
		long dropped = truth.before().stream().filter((path) -> !truth.after().contains(path)).count();
		long changed = 0;
		long changedKept = 0;
		for (Map.Entry<String, Future<String>> page : truth.renders().entrySet()) {
			String content = result(page.getValue());
			if (this.versions.record(page.getKey(), content, truth.written())
					&& truth.before().contains(page.getKey())) {
				changed++;
				changedKept += (truth.after().contains(page.getKey()) && !holds(page.getKey(), content)) ? 1 : 0;
			}
		}
		this.figures.write(truth.kind(), dropped, changed, changedKept);
		this.droppedUncached.keySet().removeAll(truth.before());
		truth.before()
			.stream()
			.filter((path) -> !truth.after().contains(path))
			.forEach((path) -> this.droppedUncached.put(path, this.writeNumber));
		this.unclassified.forEach(Runnable::run);
		this.unclassified.clear();
	}

	private void comment(long post) {
		expect(this.http.postForm("/posts/" + post + "/comments", TestHttp.fields("author",
				"Reader " + this.writeNumber, "body", "Comment number " + this.writeNumber + " of the workload.")),
				303);
	}

	private void edit(Workload.Edit edit) {
		String path = "/admin/posts/" + edit.post() + "/edit";
		HttpResponse<String> form = expect(this.http.get(path, "Cookie", this.adminSession), 200);
		Post post = this.posts.findWithAuthorAndCategoryById(edit.post()).orElseThrow();
		String title = post.getTitle();
		String body = post.getBody();
		if (edit.title()) {
			title = REVISION.matcher(title).replaceFirst("") + " (revision " + this.writeNumber + ")";
		}
		else {
			body = body + "\n\nUpdate " + this.writeNumber + ": corrected after a reader's note.";
		}
		expect(this.http.postForm(
				path, TestHttp.fields("title", title, "body", body, "category",
						String.valueOf(post.getCategory().getId()), "_csrf", BlogLogin.csrfToken(form)),
				"Cookie", this.adminSession), 303);
	}

	/**
	 * Whether the cache holds a page with this content now: a page refresh-ahead rendered
	 * again after the write that changed it was not kept, though it is in the cache.
	 */
	private boolean holds(String path, String content) {
		PageLookup lookup = this.store.lookup(this.keyPrefix + path);
		PageEntry entry = (lookup != null) ? lookup.entry() : null;
		if (entry == null) {
			return false;
		}
		try (GZIPInputStream body = new GZIPInputStream(new ByteArrayInputStream(entry.gzippedBody()))) {
			return content.equals(new String(body.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The paths of the pages the cache holds: every page carries its route's tag.
	 */
	private Set<String> cachedPages() {
		Set<String> paths = new HashSet<>();
		for (String route : ROUTES) {
			for (String key : this.pageCache.pagesTagged(PageTags.route(route))) {
				if (!key.startsWith(this.keyPrefix)) {
					throw new IllegalStateException("Unexpected page key " + key);
				}
				paths.add(key.substring(this.keyPrefix.length()));
			}
		}
		return paths;
	}

	private Map<String, Future<String>> renderBypassingTheCache(Set<String> paths) {
		Map<String, Future<String>> renders = new HashMap<>();
		for (String path : paths) {
			renders.put(path, this.renderers.submit(() -> renderBypassingTheCache(path)));
		}
		return renders;
	}

	private String renderBypassingTheCache(String path) {
		HttpResponse<String> response = expect(this.http.get(path, "Cookie", BYPASS_COOKIE), 200);
		if (!"BYPASS".equals(TestHttp.cacheResult(response))) {
			throw new IllegalStateException("The ground truth of " + path + " came from the cache");
		}
		return response.body();
	}

	private static String result(Future<String> render) {
		try {
			return render.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
					+ response.statusCode() + " instead of " + status);
		}
		return response;
	}

	/**
	 * The ground truth of a write: the pages the cache held before and after it, when it
	 * returned, and the renders of the pages held before it.
	 */
	private record GroundTruth(WriteKind kind, Set<String> before, Set<String> after, long written,
			Map<String, Future<String>> renders) {

	}

}
