package dev.pagecache.jpa;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pagecache.jpa.blog.BlogService;
import dev.pagecache.jpa.blog.BlogService.Fixture;
import dev.pagecache.test.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes to the test blog at random and judges every page read meanwhile: a stale read is
 * a response to a request that started after a write had returned and does not show that
 * write (or a later one).
 * <p>
 * Each tracked post is written by one thread only, so the states it goes through are
 * known in order. Before a write, the writer appends the state the write leads to (it may
 * become visible as soon as the transaction commits); after the write returns, it
 * publishes that state's index as the oldest a new request may see. A reader notes, per
 * post, that index before it sends its request, and accepts a page only if everything it
 * shows of each post matches a state at or after the noted one: the title, and the
 * comments with their count, on a post's page; the title and the count on the listing;
 * the title on a category page. Each is checked on its own: a render reads without a
 * transaction, so the post and its comments, read a moment apart, may come from different
 * states, each of them fresh.
 * <p>
 * Every post a page may show must be tracked before readers start.
 */
final class FreshnessChecker {

	private static final int RECORDED_FAILURES = 5;

	private static final Pattern TITLE = Pattern.compile("<h1 id=\"title\">([^<]*)</h1>");

	private static final Pattern COUNT = Pattern.compile("<p id=\"count\">(\\d+) comments</p>");

	private static final Pattern COMMENT = Pattern.compile("<li class=\"comment\">([^<]*)</li>");

	private static final Pattern LISTED = Pattern.compile("post (\\d+) \\| ([^|\\n]*) \\| (\\d+) comments");

	private static final Pattern IN_CATEGORY = Pattern.compile("post (\\d+) \\| ([^\\n]*)");

	private final BlogService blog;

	private final boolean bulkUpdates;

	private final long staleAfterNanos;

	private final Map<Long, PostHistory> histories = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<String> staleReads = new ConcurrentLinkedQueue<>();

	private final AtomicInteger staleReadCount = new AtomicInteger();

	private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

	private final AtomicInteger errorCount = new AtomicInteger();

	/**
	 * Create a checker.
	 * @param blog the blog's writes
	 * @param bulkUpdates whether writes include a bulk JPQL update of a post's comments
	 */
	FreshnessChecker(BlogService blog, boolean bulkUpdates) {
		this(blog, bulkUpdates, Duration.ZERO);
	}

	/**
	 * Create a checker for which a write must show only in the requests that start some
	 * time after it returned: those that start earlier may show the state before it.
	 * @param blog the blog's writes
	 * @param bulkUpdates whether writes include a bulk JPQL update of a post's comments
	 * @param staleAfter how long after a write returned a request that misses it is stale
	 */
	FreshnessChecker(BlogService blog, boolean bulkUpdates, Duration staleAfter) {
		this.blog = blog;
		this.bulkUpdates = bulkUpdates;
		this.staleAfterNanos = staleAfter.toNanos();
	}

	/** Track the four posts of a fixture as {@link BlogService#reset()} leaves them. */
	void trackFixture(Fixture fixture) {
		String[] titles = { "First", "Second", "Third", "Fourth" };
		for (int i = 1; i <= 4; i++) {
			track(fixture.post(i), titles[i - 1]);
		}
		String[] comments = { "c1 on first", "c2 on first", "c3 on second", "c4 on fourth" };
		int[] postOf = { 1, 1, 2, 4 };
		for (int i = 0; i < 4; i++) {
			PostHistory history = this.histories.get(fixture.post(postOf[i]));
			history.current().comments().put(fixture.comment(i + 1), comments[i]);
		}
	}

	/** Track a post that has no comments yet. */
	void track(long postId, String title) {
		this.histories.put(postId, new PostHistory(new PostState(title, new TreeMap<>())));
	}

	/**
	 * Write one of two posts at random: retitle it, add, edit or delete one of its
	 * comments, move one to the other post, or (with bulk updates) append to all its
	 * comments. The calling thread must be the only one that writes either post.
	 * @param postId the post to write
	 * @param otherId the post a moved comment goes to
	 * @param random the source of the choices
	 * @param token a text that makes the new title or comment unique
	 */
	void write(long postId, long otherId, Random random, String token) {
		PostHistory history = this.histories.get(postId);
		PostState state = history.current();
		List<Long> commentIds = new ArrayList<>(state.comments().keySet());
		int kind = random.nextInt(this.bulkUpdates ? 100 : 90);
		if (kind < 25) {
			String title = "Post " + token;
			history.expect(state.withTitle(title));
			this.blog.retitle(postId, title);
			history.returned();
		}
		else if (kind < 55 || commentIds.isEmpty()) {
			// the new comment's id is known only after the insert; it is the highest so
			// far, so a placeholder that sorts last stands for it until then
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
	}

	/**
	 * Read a page and judge it: a response other than 200 counts as an error, a body
	 * older than the last write that returned before the request as a stale read.
	 * @param http the client of the instance to ask
	 * @param path the page
	 * @return the response
	 */
	HttpResponse<byte[]> read(TestHttp<byte[]> http, String path) {
		Map<Long, Integer> oldest = new HashMap<>();
		long returnedBy = System.nanoTime() - this.staleAfterNanos;
		this.histories.forEach((id, history) -> oldest.put(id, history.returnedIndex(returnedBy)));
		HttpResponse<byte[]> response = http.get(path);
		String body = new String(response.body(), StandardCharsets.UTF_8);
		if (response.statusCode() != 200) {
			if (this.errorCount.incrementAndGet() <= RECORDED_FAILURES) {
				this.errors.add(path + " answered " + response.statusCode() + ": " + body);
			}
		}
		else {
			check(path, body, oldest);
		}
		return response;
	}

	/** How many reads were stale so far. */
	int staleReads() {
		return this.staleReadCount.get();
	}

	/** How many reads were not answered with 200 so far. */
	int errors() {
		return this.errorCount.get();
	}

	/**
	 * Assert that no read was stale or failed.
	 * @param seed the seed of the run, for the message
	 */
	void assertFreshAndAnswered(long seed) {
		assertThat(this.errorCount.get())
			.as("reads not answered with 200 (seed %d), the first of them: %s", seed, this.errors)
			.isZero();
		assertThat(this.staleReadCount.get()).as("stale reads (seed %d), the first of them: %s", seed, this.staleReads)
			.isZero();
	}

	private void check(String path, String body, Map<Long, Integer> oldest) {
		if (path.contains("/posts/")) {
			long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
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
		else if (path.contains("/categories/")) {
			Matcher matcher = IN_CATEGORY.matcher(body);
			while (matcher.find()) {
				String title = matcher.group(2);
				verify(path, body, Long.parseLong(matcher.group(1)), oldest, (state) -> state.title().equals(title));
			}
		}
		else {
			Matcher matcher = LISTED.matcher(body);
			while (matcher.find()) {
				String title = matcher.group(2);
				int count = Integer.parseInt(matcher.group(3));
				long id = Long.parseLong(matcher.group(1));
				verify(path, body, id, oldest, (state) -> state.title().equals(title));
				verify(path, body, id, oldest, (state) -> state.comments().size() == count);
			}
		}
	}

	private void verify(String path, String body, long postId, Map<Long, Integer> oldest, Predicate<PostState> shows) {
		PostHistory history = this.histories.get(postId);
		assertThat(history).as("post %d on %s is tracked", postId, path).isNotNull();
		int from = oldest.get(postId);
		if (!history.matches(from, shows) && this.staleReadCount.incrementAndGet() <= RECORDED_FAILURES) {
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

		/** When each write returned, and the index of the state it led to, in order. */
		private final List<long[]> returns = new CopyOnWriteArrayList<>(List.<long[]>of(new long[] { 0, 0 }));

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
			this.returns.add(new long[] { System.nanoTime(), this.states.size() - 1 });
		}

		/**
		 * The state of the last write that returned at or before a time.
		 * @param time a {@link System#nanoTime()}
		 */
		int returnedIndex(long time) {
			for (int i = this.returns.size() - 1; i > 0; i--) {
				long[] returned = this.returns.get(i);
				if (returned[0] - time <= 0) {
					return (int) returned[1];
				}
			}
			return 0;
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
