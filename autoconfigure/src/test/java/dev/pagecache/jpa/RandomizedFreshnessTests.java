package dev.pagecache.jpa;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.pagecache.PageCache;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogTestApplication;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writer and reader threads over the blog, at random: zero stale reads, where a stale
 * read is a response to a request that started after a write had returned and does not
 * show that write (or a later one).
 * <p>
 * Each writer owns two posts and is the only one to write them, so the states each post
 * goes through are known in order. Before a write, the writer appends the state the write
 * leads to (it may become visible as soon as the transaction commits); after the write
 * returns, it publishes that state's index as the oldest a new request may see. A reader
 * notes, per post, that index before it sends its request, and accepts a page only if
 * everything it shows of each post matches a state at or after the noted one: the title,
 * and the comments with their count, on a post's page; the title and the count on the
 * listing; the title on a category page. Each is checked on its own: a render reads
 * without a transaction, so the post and its comments, read a moment apart, may come from
 * different states, each of them fresh.
 * <p>
 * Replay with {@code -Dpagecache.test.seed=<seed>} (thread interleavings still vary).
 */
@SpringBootTest(classes = BlogTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "pagecache.redis.namespace=blog")
@WithRedisServer(shared = true)
class RandomizedFreshnessTests {

	private static final int WRITERS = 2;

	private static final int WRITES_PER_WRITER = 700;

	private static final int READERS = 4;

	private static final int READS_PER_READER = 1000;

	private static final Pattern TITLE = Pattern.compile("<h1 id=\"title\">([^<]*)</h1>");

	private static final Pattern COUNT = Pattern.compile("<p id=\"count\">(\\d+) comments</p>");

	private static final Pattern COMMENT = Pattern.compile("<li class=\"comment\">([^<]*)</li>");

	private static final Pattern LISTED = Pattern.compile("post (\\d+) \\| ([^|\\n]*) \\| (\\d+) comments");

	private static final Pattern IN_CATEGORY = Pattern.compile("post (\\d+) \\| ([^\\n]*)");

	@LocalServerPort
	int port;

	@Autowired
	BlogService blog;

	@Autowired
	PageCache pageCache;

	final Map<Long, PostHistory> histories = new TreeMap<>();

	final ConcurrentLinkedQueue<String> staleReads = new ConcurrentLinkedQueue<>();

	final AtomicInteger staleReadCount = new AtomicInteger();

	final AtomicLong hits = new AtomicLong();

	final AtomicInteger operations = new AtomicInteger();

	@Test
	void concurrentReadersNeverSeeAPageOlderThanTheLastReturnedWrite() throws Exception {
		long seed = Long.getLong("pagecache.test.seed", System.nanoTime());
		System.out
			.println("RandomizedFreshnessTests seed: " + seed + " (replay with -Dpagecache.test.seed=" + seed + ")");
		Fixture fixture = this.blog.reset();
		this.pageCache.clear();
		initialHistories(fixture);
		List<BlogPages> instances = new ArrayList<>();
		for (int port : ports()) {
			instances.add(new BlogPages(port, fixture));
		}
		List<String> paths = new ArrayList<>(instances.get(0).all());
		ExecutorService executor = Executors.newFixedThreadPool(WRITERS + READERS);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int w = 0; w < WRITERS; w++) {
				long[] owned = { fixture.post(2 * w + 1), fixture.post(2 * w + 2) };
				Random random = new Random(seed + w);
				tasks.add(executor.submit(() -> write(owned, random)));
			}
			for (int r = 0; r < READERS; r++) {
				Random random = new Random(seed + 100 + r);
				tasks.add(executor.submit(() -> read(instances, paths, random)));
			}
			for (Future<?> task : tasks) {
				task.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.operations.get()).isGreaterThanOrEqualTo(5000);
		assertThat(this.staleReadCount.get()).as("stale reads (seed %d), the first of them: %s", seed, this.staleReads)
			.isZero();
		assertThat(this.hits.get()).as("hits among %d reads", READERS * READS_PER_READER)
			.isGreaterThan(READERS * READS_PER_READER / 10);
		System.out.println("RandomizedFreshnessTests: " + this.operations.get() + " operations, " + this.hits.get()
				+ " hits, 0 stale reads");
	}

	/**
	 * The ports of the instances that readers send their requests to, at random; writes
	 * go through this test's application context.
	 * @return the ports
	 */
	protected List<Integer> ports() {
		return List.of(this.port);
	}

	/**
	 * Whether writers also run bulk JPQL updates.
	 * @return {@code true} unless a subclass says otherwise
	 */
	protected boolean bulkUpdates() {
		return true;
	}

	private void initialHistories(Fixture fixture) {
		String[] titles = { "First", "Second", "Third", "Fourth" };
		for (int i = 1; i <= 4; i++) {
			this.histories.put(fixture.post(i), new PostHistory(new PostState(titles[i - 1], new TreeMap<>())));
		}
		String[] comments = { "c1 on first", "c2 on first", "c3 on second", "c4 on fourth" };
		int[] postOf = { 1, 1, 2, 4 };
		for (int i = 0; i < 4; i++) {
			PostHistory history = this.histories.get(fixture.post(postOf[i]));
			history.current().comments().put(fixture.comment(i + 1), comments[i]);
		}
	}

	private void write(long[] owned, Random random) {
		for (int n = 0; n < WRITES_PER_WRITER; n++) {
			long postId = owned[random.nextInt(2)];
			long otherId = (postId == owned[0]) ? owned[1] : owned[0];
			PostHistory history = this.histories.get(postId);
			PostState state = history.current();
			List<Long> commentIds = new ArrayList<>(state.comments().keySet());
			int kind = random.nextInt(bulkUpdates() ? 100 : 90);
			String token = postId + "-" + n;
			if (kind < 25) {
				String title = "Post " + token;
				history.expect(state.withTitle(title));
				this.blog.retitle(postId, title);
				history.returned();
			}
			else if (kind < 55 || commentIds.isEmpty()) {
				// the new comment's id is known only after the insert; it is the highest
				// so far, so a
				// placeholder that sorts last stands for it until then
				String text = "comment " + token;
				history.expect(state.withComment(Long.MAX_VALUE, text));
				long id = this.blog.addComment(postId, text);
				history.expect(state.withComment(id, text));
				history.returned();
			}
			else if (kind < 70) {
				long id = commentIds.get(random.nextInt(commentIds.size()));
				String text = "edited " + token;
				history.expect(state.withComment(id, text));
				this.blog.editComment(id, text);
				history.returned();
			}
			else if (kind < 80) {
				long id = commentIds.get(random.nextInt(commentIds.size()));
				history.expect(state.withoutComment(id));
				this.blog.deleteComment(id);
				history.returned();
			}
			else if (kind < 90) {
				long id = commentIds.get(random.nextInt(commentIds.size()));
				PostHistory other = this.histories.get(otherId);
				history.expect(state.withoutComment(id));
				other.expect(other.current().withComment(id, state.comments().get(id)));
				this.blog.moveComment(id, otherId);
				history.returned();
				other.returned();
			}
			else {
				history.expect(state.withSuffixOnComments("+"));
				this.blog.appendToCommentsOf(postId, "+");
				history.returned();
			}
			this.operations.incrementAndGet();
		}
	}

	private void read(List<BlogPages> instances, List<String> paths, Random random) {
		for (int n = 0; n < READS_PER_READER; n++) {
			BlogPages pages = instances.get(random.nextInt(instances.size()));
			String path = paths.get(random.nextInt(paths.size()));
			Map<Long, Integer> oldest = new TreeMap<>();
			this.histories.forEach((id, history) -> oldest.put(id, history.returnedIndex()));
			HttpResponse<byte[]> response = pages.get(path);
			String body = new String(response.body(), StandardCharsets.UTF_8);
			if ("HIT".equals(TestHttp.cacheResult(response))) {
				this.hits.incrementAndGet();
			}
			check(path, body, oldest);
			this.operations.incrementAndGet();
		}
	}

	private void check(String path, String body, Map<Long, Integer> oldest) {
		if (path.startsWith("/blog/posts/")) {
			long id = Long.parseLong(path.substring("/blog/posts/".length()));
			String title = first(TITLE, body);
			int count = Integer.parseInt(first(COUNT, body));
			List<String> comments = new ArrayList<>();
			Matcher matcher = COMMENT.matcher(body);
			while (matcher.find()) {
				comments.add(matcher.group(1));
			}
			verify(path, body, id, oldest, (state) -> state.title().equals(title));
			verify(path, body, id, oldest,
					(state) -> count == comments.size() && new ArrayList<>(state.comments().values()).equals(comments));
		}
		else if (path.equals("/blog")) {
			Matcher matcher = LISTED.matcher(body);
			while (matcher.find()) {
				String title = matcher.group(2);
				int count = Integer.parseInt(matcher.group(3));
				long id = Long.parseLong(matcher.group(1));
				verify(path, body, id, oldest, (state) -> state.title().equals(title));
				verify(path, body, id, oldest, (state) -> state.comments().size() == count);
			}
		}
		else {
			Matcher matcher = IN_CATEGORY.matcher(body);
			while (matcher.find()) {
				String title = matcher.group(2);
				verify(path, body, Long.parseLong(matcher.group(1)), oldest, (state) -> state.title().equals(title));
			}
		}
	}

	private void verify(String path, String body, long postId, Map<Long, Integer> oldest, Predicate<PostState> shows) {
		PostHistory history = this.histories.get(postId);
		int from = oldest.get(postId);
		if (!history.matches(from, shows) && this.staleReadCount.incrementAndGet() <= 5) {
			List<PostState> around = history.states.subList(Math.max(0, from - 2),
					Math.min(history.states.size(), from + 3));
			this.staleReads.add(path + " (post " + postId + ", oldest acceptable state " + from + ", states from "
					+ Math.max(0, from - 2) + ": " + around + "):\n" + body);
		}
	}

	private static String first(Pattern pattern, String body) {
		Matcher matcher = pattern.matcher(body);
		assertThat(matcher.find()).as("%s in %s", pattern, body).isTrue();
		return matcher.group(1);
	}

	/** A post as its pages show it: title and comments by id. */
	record PostState(String title, TreeMap<Long, String> comments) {

		PostState withTitle(String title) {
			return new PostState(title, new TreeMap<>(this.comments));
		}

		PostState withComment(long id, String text) {
			TreeMap<Long, String> comments = new TreeMap<>(this.comments);
			comments.put(id, text);
			return new PostState(this.title, comments);
		}

		PostState withoutComment(long id) {
			TreeMap<Long, String> comments = new TreeMap<>(this.comments);
			comments.remove(id);
			return new PostState(this.title, comments);
		}

		PostState withSuffixOnComments(String suffix) {
			TreeMap<Long, String> comments = new TreeMap<>();
			this.comments.forEach((id, text) -> comments.put(id, text + suffix));
			return new PostState(this.title, comments);
		}

	}

	/**
	 * The states of one post, in order, written by one thread: the last may not be
	 * committed yet.
	 */
	static final class PostHistory {

		final List<PostState> states = new CopyOnWriteArrayList<>();

		private volatile int returned;

		PostHistory(PostState initial) {
			this.states.add(initial);
		}

		PostState current() {
			return this.states.get(this.states.size() - 1);
		}

		void expect(PostState next) {
			this.states.add(next);
		}

		void returned() {
			this.returned = this.states.size() - 1;
		}

		int returnedIndex() {
			return this.returned;
		}

		boolean matches(int oldest, Predicate<PostState> shows) {
			for (int i = oldest; i < this.states.size(); i++) {
				if (shows.test(this.states.get(i))) {
					return true;
				}
			}
			return false;
		}

	}

}
