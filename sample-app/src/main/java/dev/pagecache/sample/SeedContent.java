package dev.pagecache.sample;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import dev.pagecache.sample.SeedTopics.Topic;

/**
 * The demo content, post after post: the same sequence on every run (a fixed seed), so
 * that tests and benchmarks see the same blog. Titles are distinct, no sentence repeats
 * within a post, authors mostly write in their own categories, posts come one to three
 * days apart from early January 2025 (post {@code n} is the newest), and comments follow
 * their post over the next hours and days.
 *
 * @author pagecache
 */
final class SeedContent {

	private static final long SEED = 42;

	private static final Instant FIRST_DAY = Instant.parse("2025-01-01T00:00:00Z");

	private static final double REGULAR_AUTHOR_SHARE = 0.85;

	private static final String[] TITLES = { "Notes on %s", "What I learned from %s", "A year of %s", "In praise of %s",
			"Getting started with %s", "%s, revisited", "Why I keep coming back to %s", "Small lessons from %s",
			"%s: a field guide", "The trouble with %s", "Everything I got wrong about %s", "A beginner's guide to %s" };

	private static final String[] OPENINGS = { "I came to %s late, and mostly by accident.",
			"For most of last year, %s took up more of my weekends than I like to admit.",
			"A reader asked me to write about %s, so here it is.",
			"This post about %s has been sitting in my drafts since spring.",
			"Everyone I know seems to have an opinion on %s, and now I have one too.",
			"The first time I tried %s, it went badly.",
			"It is hard to explain the appeal of %s to someone who has not tried it.",
			"My interest in %s began with a borrowed book and a free afternoon.",
			"There is a lot of noise about %s online, so I will keep this short and practical.",
			"I promised myself I would not write another post about %s, and yet here we are." };

	private static final String[] SENTENCES = { "It started, as these things do, with a small mistake.",
			"Nobody warned me how much patience it would take.",
			"The first attempt went badly, and the second one was not much better.",
			"By the third week a routine had formed without my noticing.",
			"There is a particular pleasure in doing one thing well.",
			"Most of the advice I found online was either wrong or far too confident.",
			"What surprised me most was how little equipment it needs.",
			"The trick, it turns out, is to stop optimising and start paying attention.",
			"I kept a log of every attempt, which made the patterns obvious.",
			"Friends were sceptical at first; some of them have since come round.",
			"It is slower than the alternative, and that is exactly the point.",
			"On a good day the whole thing takes less than an hour.",
			"A few readers wrote in with better ideas than mine, so I tried those too.",
			"The cost is mostly time, and the time is mostly well spent.",
			"If you only take one thing from this post, let it be this: start small.",
			"I would do it again tomorrow, with two or three changes.",
			"The results were uneven, but the uneven ones taught me the most.",
			"Somewhere along the way the chore became the best part of the day.",
			"I changed my mind about this twice while writing it down.",
			"The second time round I wrote everything down, which helped more than I expected.",
			"It helped to have a friend who had made every mistake before me.",
			"None of this needs money, but all of it needs a little time every week.",
			"I asked around, and everyone had a different rule of thumb.",
			"The old way was not wrong, just slower than it needed to be.",
			"Looking back at my notes from the start, I barely recognise the person who wrote them.",
			"Two things made the difference, and neither was what I had planned.",
			"There were weeks when nothing worked and I nearly gave up.",
			"It is easy to overdo it at the beginning, and I did.",
			"Some of the best tips came from people who had never written any of it down.",
			"I still get it wrong about one time in five.", "Small improvements add up faster than you would think.",
			"The internet made it sound complicated; in practice it was mostly repetition.",
			"A cheap notebook turned out to be the most useful tool of all.",
			"Doing it with someone else turned a chore into an afternoon out.", "I now plan less and notice more.",
			"Every season taught me something the previous one had not." };

	private static final String[] CLOSINGS = {
			"That is where things stand for now; I will report back in a few months.",
			"If you try it, write and tell me how it went.", "More on this soon, once the next round is done.",
			"As always, corrections and better ideas are welcome in the comments.",
			"Next time I will write about what came after.",
			"I am not done with this subject, and I suspect it is not done with me.",
			"Thanks to everyone who sent notes on the last post; some of them are in here.",
			"That is all for this week." };

	private static final String[] COMMENTERS = { "Maria Costa", "Tom Becker", "Priya Nair", "Jonas Weber",
			"Aiko Tanaka", "Sam Okoye", "Lena Fischer", "Kwame Mensah", "Olga Petrova", "Diego Ramírez", "Hannah Cohen",
			"Ravi Kumar", "Sofia Rossi", "Mateus Silva", "Ingrid Berg", "Yusuf Demir", "Claire Dubois", "Finn O'Brien",
			"Mei Lin", "Oskar Nilsson", "Amara Obi", "Luca Bianchi", "Nora Haddad", "Pete Walsh" };

	private static final String[] REMARKS = { "Lovely write-up, thank you.",
			"I tried this last spring and can confirm every word.", "Great post. Do you have a follow-up planned?",
			"This made my morning.", "I disagree with the second half, but the first half is spot on.",
			"Bookmarked. Going to try it this weekend.", "The part about patience really resonated.",
			"Could you share the log you mentioned?", "Same experience here, almost to the day.",
			"Short and useful, the best kind of post.",
			"I had the opposite experience, but I can see why it worked for you.",
			"Thank you for writing this down so clearly.",
			"My grandmother said exactly the same thing, forty years ago.",
			"Small correction: the second tip works better the other way round.",
			"Any advice for someone starting from zero?",
			"This is the third post of yours I have sent to a friend this month.",
			"Reading this on the train, nodding along.", "I laughed at the part about the first attempt. Been there.",
			"How long did it take before it felt natural?",
			"Please write more about the mistakes; they are the useful part.",
			"Agreed on almost everything. The notebook advice is gold.",
			"Tried it last weekend after your earlier post. It worked!",
			"Would love a longer version of this with more detail.", "You have convinced me to give it another go.",
			"Not for me, but I enjoyed reading about it.", "A calm, sensible post. The internet needs more of these.",
			"Where did you find the time? Asking for myself.", "This deserves more readers. Sharing it around." };

	private final Random random = new Random(SEED);

	private final List<List<String[]>> titles = new ArrayList<>();

	private final int[] postsPerTopic = new int[SeedTopics.TOPICS.size()];

	private final int totalWeight;

	private Instant lastDay = FIRST_DAY;

	SeedContent() {
		for (Topic topic : SeedTopics.TOPICS) {
			List<String[]> combinations = new ArrayList<>();
			for (String title : TITLES) {
				for (String subject : topic.subjects()) {
					combinations.add(new String[] { title, subject });
				}
			}
			Collections.shuffle(combinations, this.random);
			this.titles.add(combinations);
		}
		this.totalWeight = SeedTopics.TOPICS.stream().mapToInt(Topic::weight).sum();
	}

	/**
	 * The next post, one to three days after the previous one.
	 * @return the post and its comments
	 */
	SeedPost nextPost() {
		this.lastDay = this.lastDay.plus(Duration.ofDays(1 + this.random.nextInt(3)));
		Instant publishedAt = this.lastDay.plus(Duration.ofMinutes(7 * 60 + this.random.nextInt(14 * 60)));
		int topicIndex = topic();
		Topic topic = SeedTopics.TOPICS.get(topicIndex);
		int number = this.postsPerTopic[topicIndex]++;
		List<String[]> combinations = this.titles.get(topicIndex);
		String[] combination = combinations.get(number % combinations.size());
		int part = number / combinations.size();
		String title = capitalized(combination[0].formatted(combination[1]))
				+ ((part > 0) ? " (part " + (part + 1) + ")" : "");
		return new SeedPost(title, body(topic, combination[1]), publishedAt, topicIndex, author(topic),
				comments(publishedAt));
	}

	private int topic() {
		int pick = this.random.nextInt(this.totalWeight);
		for (int i = 0;; i++) {
			pick -= SeedTopics.TOPICS.get(i).weight();
			if (pick < 0) {
				return i;
			}
		}
	}

	private int author(Topic topic) {
		if (this.random.nextDouble() < REGULAR_AUTHOR_SHARE) {
			return topic.regulars()[this.random.nextInt(topic.regulars().length)];
		}
		return this.random.nextInt(SeedTopics.AUTHORS.size());
	}

	/**
	 * Three to five paragraphs of three to five sentences: an opening about the subject,
	 * sentences of the topic and general ones in a random order, none twice, and a
	 * closing line.
	 */
	private String body(Topic topic, String subject) {
		List<String> sentences = new ArrayList<>(Arrays.asList(SENTENCES));
		sentences.addAll(Arrays.asList(topic.sentences()));
		Collections.shuffle(sentences, this.random);
		sentences.add(0, pick(OPENINGS).formatted(subject));
		int[] lengths = new int[3 + this.random.nextInt(3)];
		int count = 0;
		for (int p = 0; p < lengths.length; p++) {
			lengths[p] = 3 + this.random.nextInt(3);
			count += lengths[p];
		}
		sentences.set(count - 1, pick(CLOSINGS));
		List<String> paragraphs = new ArrayList<>();
		int start = 0;
		for (int length : lengths) {
			paragraphs.add(String.join(" ", sentences.subList(start, start + length)));
			start += length;
		}
		return String.join("\n\n", paragraphs);
	}

	/**
	 * None to six comments by different readers saying different things, the first within
	 * a few hours of the post, each of the others up to a day after the one before.
	 */
	private List<SeedComment> comments(Instant publishedAt) {
		int count = this.random.nextInt(7);
		List<String> names = shuffled(COMMENTERS);
		List<String> remarks = shuffled(REMARKS);
		List<SeedComment> comments = new ArrayList<>();
		Instant createdAt = publishedAt.plus(Duration.ofMinutes(20 + this.random.nextInt(4 * 60)));
		for (int c = 0; c < count; c++) {
			comments.add(new SeedComment(names.get(c), remarks.get(c), createdAt));
			createdAt = createdAt.plus(Duration.ofMinutes(15 + this.random.nextInt(24 * 60)));
		}
		return comments;
	}

	private List<String> shuffled(String[] values) {
		List<String> list = new ArrayList<>(Arrays.asList(values));
		Collections.shuffle(list, this.random);
		return list;
	}

	private String pick(String[] values) {
		return values[this.random.nextInt(values.length)];
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	static List<Author> authors() {
		return SeedTopics.AUTHORS.stream().map((author) -> new Author(author[0], author[1])).toList();
	}

	static List<Category> categories() {
		return SeedTopics.TOPICS.stream().map((topic) -> new Category(topic.name(), topic.slug())).toList();
	}

	/**
	 * A post to write.
	 *
	 * @param title its title, distinct from every other seeded post's
	 * @param body its paragraphs, separated by blank lines
	 * @param publishedAt when it was published
	 * @param category the index of its category in {@link #categories()}
	 * @param author the index of its author in {@link #authors()}
	 * @param comments its comments, oldest first
	 */
	record SeedPost(String title, String body, Instant publishedAt, int category, int author,
			List<SeedComment> comments) {

	}

	/**
	 * A reader's comment to write.
	 *
	 * @param author the reader's name
	 * @param body what they wrote
	 * @param createdAt when
	 */
	record SeedComment(String author, String body, Instant createdAt) {

	}

}
