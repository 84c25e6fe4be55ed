package dev.pagecache.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded sequence of blog operations: page reads skewed towards the home page and the
 * newest posts, with comments and admin edits in between. The same settings give the same
 * sequence, so every invalidation policy is measured on the same traffic.
 *
 * @param operations the operations, in order
 * @author pagecache
 */
record Workload(List<Operation> operations) {

	private static final double HOME_SHARE = 0.25;

	private static final double CATEGORY_SHARE = 0.10;

	private static final double AUTHOR_SHARE = 0.05;

	static Workload generate(WorkloadSettings settings) {
		Random random = new Random(settings.seed());
		Zipf posts = new Zipf(settings.posts(), settings.zipfExponent());
		List<String> categories = SeedContent.categories().stream().map(Category::getSlug).toList();
		Zipf categoryPopularity = new Zipf(categories.size(), settings.zipfExponent());
		int authors = SeedContent.authors().size();
		List<Operation> operations = new ArrayList<>();
		for (int read = 0; read < settings.reads(); read++) {
			double kind = random.nextDouble();
			if (kind < HOME_SHARE) {
				operations.add(new Read("/"));
			}
			else if (kind < HOME_SHARE + CATEGORY_SHARE) {
				operations.add(new Read("/categories/" + categories.get(categoryPopularity.sample(random) - 1)));
			}
			else if (kind < HOME_SHARE + CATEGORY_SHARE + AUTHOR_SHARE) {
				operations.add(new Read("/authors/" + (1 + random.nextInt(authors))));
			}
			else {
				operations.add(new Read("/posts/" + newest(settings, posts.sample(random))));
			}
			if (random.nextInt(settings.readsPerWrite()) == 0) {
				long post = newest(settings, posts.sample(random));
				boolean edit = random.nextDouble() < settings.editShare();
				operations.add(edit ? new Edit(post, random.nextBoolean()) : new Comment(post));
			}
		}
		return new Workload(List.copyOf(operations));
	}

	/**
	 * The post of a popularity rank: the seeder publishes post {@code n} last, and
	 * readers favour the newest posts.
	 */
	private static long newest(WorkloadSettings settings, int rank) {
		return settings.posts() + 1L - rank;
	}

	long writes() {
		return this.operations.stream().filter((operation) -> !(operation instanceof Read)).count();
	}

	/**
	 * One step of the workload.
	 */
	sealed interface Operation permits Read, Comment, Edit {

	}

	/**
	 * An anonymous reader's request for a page.
	 *
	 * @param path the page
	 */
	record Read(String path) implements Operation {

	}

	/**
	 * A reader's comment on a post, through the public form.
	 *
	 * @param post the post
	 */
	record Comment(long post) implements Operation {

	}

	/**
	 * The admin's edit of a post, through the admin form: a new title, or a paragraph
	 * added at the end.
	 *
	 * @param post the post
	 * @param title whether the title changes (otherwise the body)
	 */
	record Edit(long post, boolean title) implements Operation {

	}

	/**
	 * Ranks 1 to n drawn with probability proportional to {@code 1 / rank^exponent}.
	 */
	private static final class Zipf {

		private final double[] cumulative;

		Zipf(int n, double exponent) {
			this.cumulative = new double[n];
			double sum = 0;
			for (int rank = 1; rank <= n; rank++) {
				sum += 1 / Math.pow(rank, exponent);
				this.cumulative[rank - 1] = sum;
			}
			for (int i = 0; i < n; i++) {
				this.cumulative[i] /= sum;
			}
		}

		int sample(Random random) {
			double value = random.nextDouble();
			int low = 0;
			int high = this.cumulative.length - 1;
			while (low < high) {
				int middle = (low + high) >>> 1;
				if (this.cumulative[middle] < value) {
					low = middle + 1;
				}
				else {
					high = middle;
				}
			}
			return low + 1;
		}

	}

}
