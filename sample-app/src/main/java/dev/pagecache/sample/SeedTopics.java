package dev.pagecache.sample;

import java.util.List;

/**
 * What the demo blog writes about: its categories, each with the subjects its post titles
 * are made of, sentences of its own, and the authors who usually write in it.
 *
 * @author pagecache
 */
final class SeedTopics {

	/** The authors, in the order {@link Topic#regulars()} refers to them. */
	static final List<String[]> AUTHORS = List.of(
			new String[] { "Ada Lindqvist", "Cooks, reads and writes about doing things slowly, mostly from Malmö." },
			new String[] { "Ben Okafor", "Software engineer by day, long-distance walker at the weekend." },
			new String[] { "Chloé Martin", "Gardener, reader and occasional cook on a windy hill in Brittany." },
			new String[] { "Dev Raman", "Collects old cameras and older books; prints his photos at home." },
			new String[] { "Eva Novak", "Travels by train whenever she can, and writes on the way." });

	static final List<Topic> TOPICS = List.of(new Topic("Books", "books", 3, new int[] { 2, 3, 0 },
			new String[] { "second-hand bookshops", "city libraries", "reading on night trains", "paper notebooks",
					"rereading old favourites", "translated fiction", "reading groups", "long Russian novels",
					"short story collections", "marginalia", "audiobooks on long walks", "the to-read pile" },
			new String[] { "A good library card is still the best deal in any city.",
					"I read slowly, with a pencil, and I have stopped apologising for it.",
					"The margins of a second-hand copy often say more than its blurb.",
					"Half of what I finish now was recommended by a stranger in a queue.",
					"A book that fits in a coat pocket gets read twice as often.",
					"The reading group argued for an hour and nobody changed their mind, which was perfect.",
					"Translators deserve their names on the cover, and more publishers agree every year.",
					"I keep a list of every book I abandon, with the page where I stopped.",
					"Some books only make sense on the second reading, years after the first.",
					"The best bookshops are the ones where the owner argues with you." }),
			new Topic("Cooking", "cooking", 4, new int[] { 0, 2 },
					new String[] { "cast-iron pans", "sourdough starters", "fermented hot sauce", "one-pot dinners",
							"slow mornings and porridge", "cooking with leftovers", "a well-stocked spice drawer",
							"homemade stock", "weeknight curries", "baking with rye flour", "pickling cucumbers",
							"cooking for one" },
					new String[] { "A pinch of salt at the right moment does more than any gadget.",
							"The pan needs to be hotter than you think, and you need to be more patient than you think.",
							"Every recipe in my notebook has been corrected at least twice.",
							"Good stock is mostly onion skins, carrot ends and time.",
							"The starter sulked for a week in the cold kitchen and then doubled overnight.",
							"Weighing flour instead of measuring it by the cup changed everything.",
							"Leftover rice makes better fried rice than fresh rice ever will.",
							"I now cook a double batch on Sundays and eat well until Wednesday.",
							"The spice drawer got a purge: anything older than a year went on the compost.",
							"A squeeze of lemon at the end rescues more dishes than I care to count." }),
			new Topic("Engineering", "engineering", 5, new int[] { 1 },
					new String[] { "small databases", "caching whole pages", "plain HTML forms", "boring technology",
							"reading other people's code", "code review", "on-call rotations",
							"writing design documents", "load testing", "deleting old code", "monoliths",
							"feature flags" },
					new String[] { "The fastest request is the one the database never sees.",
							"Most outages I have seen started with a change somebody called trivial.",
							"A design document is a conversation that happens before the code, not after it.",
							"We measured first, and the bottleneck was not where anybody had guessed.",
							"Deleting code is the only refactoring that never introduces a bug.",
							"The graphs looked fine until we plotted the ninety-ninth percentile.",
							"A cache is only as good as the way it forgets.",
							"Every clever abstraction in that codebase had a comment apologising for it.",
							"The runbook grew a page for every incident, and shrank again as we fixed the causes.",
							"Boring technology is boring because somebody else already found its sharp edges." }),
			new Topic("Gardening", "gardening", 3, new int[] { 2 },
					new String[] { "tomato seedlings", "winter gardens", "compost heaps", "balcony herbs",
							"saving seeds", "raised beds", "growing garlic", "slugs and other neighbours",
							"pruning old apple trees", "wildflower corners", "rain barrels",
							"the allotment waiting list" },
					new String[] { "The soil was heavy clay, and it took three autumns of compost to change that.",
							"Seedlings on a windowsill lean towards the light like sunflowers in miniature.",
							"I lost half the lettuce to slugs and the other half to an early heatwave.",
							"A rain barrel under the shed roof filled up in a single storm.",
							"The old apple tree gave more fruit the year after I stopped fussing over it.",
							"Garlic goes in before the first frost and asks for nothing until summer.",
							"The neighbour over the fence has forgotten more about beans than I will ever know.",
							"Bees found the wildflower corner within a week of it flowering.",
							"Labelling every row seemed fussy until I forgot what I had sown where.",
							"There is no better way to spend a grey morning than turning a compost heap." }),
			new Topic("Photography", "photography", 3, new int[] { 3 },
					new String[] { "old film cameras", "black-and-white film", "photographing rain",
							"a single prime lens", "printing your own photos", "street photography", "the golden hour",
							"developing film at home", "portraits of strangers", "a camera on every walk",
							"winter light", "contact sheets" },
					new String[] { "A roll of thirty-six frames makes you think before every one of them.",
							"The best light of the day lasted about eleven minutes.",
							"I walked the same street every morning for a month and it never looked the same twice.",
							"Developing at home needs a dark bathroom, a thermometer and a steady hand.",
							"Most of my favourite pictures were taken on the way to somewhere else.",
							"A fixed lens means walking closer, which means talking to people.",
							"The prints look nothing like the screen, and that is the point of printing them.",
							"Rain makes every street reflective and every photographer braver.",
							"Contact sheets show the whole walk, mistakes and all.",
							"The shop that sold me the camera also taught me how to load it." }),
			new Topic("Travel", "travel", 4, new int[] { 4, 1 },
					new String[] { "night trains", "mountain huts", "coastal paths", "walking between villages",
							"travelling light", "slow travel by rail", "ferries to small islands", "the Alps in autumn",
							"youth hostels", "border towns", "packing a single bag", "missed connections" },
					new String[] { "The night train left on time, which surprised everyone in the compartment.",
							"A single bag means never waiting at a carousel.",
							"The hut warden had been cooking for walkers for thirty years, and it showed.",
							"We missed a connection in a town I would never have seen otherwise.",
							"The ferry took longer than a flight would have, and I remember every minute of it.",
							"Walking between villages, you learn how far apart they really are.",
							"Local buses are the best guided tour money can buy, and the cheapest.",
							"I carried a paper map as a back-up and ended up using nothing else.",
							"Autumn in the mountains means empty paths and cold, clear mornings.",
							"The border town had two names, two languages and one very good bakery." }));

	private SeedTopics() {
	}

	/**
	 * A category of the blog and what its posts are made of.
	 *
	 * @param name the category's name
	 * @param slug its slug, in its URL
	 * @param weight how often it is written in, relative to the other categories
	 * @param regulars the indexes of the authors who usually write in it
	 * @param subjects what its posts are about, for their titles and first sentences
	 * @param sentences sentences only its posts use
	 */
	record Topic(String name, String slug, int weight, int[] regulars, String[] subjects, String[] sentences) {

	}

}
