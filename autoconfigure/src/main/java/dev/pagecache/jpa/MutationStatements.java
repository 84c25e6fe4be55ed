package dev.pagecache.jpa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Reads, from SQL text, whether a statement writes rows and to which tables: enough to
 * find the entity types a bulk statement changes, without a full SQL parser. Comments and
 * string literals are skipped; {@code update}, {@code delete}, {@code insert},
 * {@code merge} and {@code truncate} anywhere in the statement (common table expressions
 * included) make it a write, except where the word belongs to another clause
 * ({@code for update}, {@code on duplicate key update}, {@code do update},
 * {@code then update}). PostgreSQL's dollar-quoted and escape strings are read as
 * literals too, and its {@code truncate} of several tables writes each of them.
 *
 * @author pagecache
 */
final class MutationStatements {

	private static final Set<String> WRITES = Set.of("update", "delete", "insert", "merge", "truncate", "upsert");

	private static final Set<String> NOT_A_WRITE_AFTER = Set.of("for", "key", "do", "then", "of", "on");

	private static final Set<String> BEFORE_TABLE = Set.of("from", "into", "only", "table", "ignore", "low_priority",
			"quick", "top");

	private static final Set<String> TRUNCATE_OPTIONS = Set.of("restart", "continue", "cascade", "restrict");

	private MutationStatements() {
	}

	/**
	 * The tables a statement writes to.
	 * @param sql the statement
	 * @return {@code null} when the statement writes nothing; otherwise the tables it
	 * names as targets, which may be empty when they could not be read
	 */
	static @Nullable List<String> targets(String sql) {
		List<String> words = words(sql);
		List<String> targets = null;
		for (int i = 0; i < words.size(); i++) {
			String word = words.get(i);
			if (!WRITES.contains(word) || (i > 0 && NOT_A_WRITE_AFTER.contains(words.get(i - 1)))) {
				continue;
			}
			if (targets == null) {
				targets = new ArrayList<>(1);
			}
			if ("truncate".equals(word)) {
				i = truncated(words, i + 1, targets) - 1;
				continue;
			}
			int table = i + 1;
			while (table < words.size() && BEFORE_TABLE.contains(words.get(table))) {
				table++;
			}
			if (table < words.size() && !WRITES.contains(words.get(table))) {
				targets.add(words.get(table));
			}
		}
		return targets;
	}

	/**
	 * The tables of a {@code truncate}, which PostgreSQL lets name several
	 * ({@code truncate a, only b restart identity cascade}).
	 * @param words the words of the statement
	 * @param from the index after {@code truncate}
	 * @param targets where the tables are added
	 * @return the index of the first word that is not part of the table list
	 */
	private static int truncated(List<String> words, int from, List<String> targets) {
		int i = from;
		while (i < words.size() && !TRUNCATE_OPTIONS.contains(words.get(i)) && !WRITES.contains(words.get(i))) {
			if (!BEFORE_TABLE.contains(words.get(i))) {
				targets.add(words.get(i));
			}
			i++;
		}
		return i;
	}

	/**
	 * The identifiers and keywords of a statement, lower case, with qualified names
	 * joined by dots and quoted identifiers kept with their quotes; punctuation and
	 * literals are dropped.
	 */
	static List<String> words(String sql) {
		List<String> words = new ArrayList<>();
		int length = sql.length();
		int i = 0;
		while (i < length) {
			char c = sql.charAt(i);
			if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				i = skipTo(sql, i + 2, "\n");
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				i = skipTo(sql, i + 2, "*/");
			}
			else if (c == '\'') {
				i = skipLiteral(sql, i + 1, false);
			}
			else if (c == '$' && dollarTagEnd(sql, i) > 0) {
				i = dollarQuoted(sql, i, words);
			}
			else if (isEscapeStringStart(sql, i)) {
				i = skipLiteral(sql, i + 2, true);
			}
			else if (isNameStart(c)) {
				int end = nameEnd(sql, i);
				words.add(sql.substring(i, end).toLowerCase(Locale.ROOT));
				i = end;
			}
			else {
				i++;
			}
		}
		return words;
	}

	/**
	 * The end of a possibly qualified, possibly quoted name that starts at {@code start}.
	 */
	private static int nameEnd(String sql, int start) {
		int i = start;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (c == '"' || c == '`' || c == '[') {
				char close = (c == '[') ? ']' : c;
				int end = sql.indexOf(close, i + 1);
				i = (end < 0) ? length : end + 1;
			}
			else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
				i++;
			}
			else {
				break;
			}
			if (i < length && sql.charAt(i) == '.' && i + 1 < length && isNameStart(sql.charAt(i + 1))) {
				i++;
			}
		}
		return i;
	}

	private static boolean isNameStart(char c) {
		return Character.isLetter(c) || c == '_' || c == '"' || c == '`' || c == '[';
	}

	private static int skipTo(String sql, int from, String end) {
		int found = sql.indexOf(end, from);
		return (found < 0) ? sql.length() : found + end.length();
	}

	/**
	 * PostgreSQL's dollar-quoted string ({@code $$...$$}, {@code $tag$...$tag$}) that
	 * starts at {@code start}: its content may be text or the body of a {@code DO} block,
	 * so its words count, read on their own, so that a quote in a text does not hide what
	 * follows the closing tag.
	 * @return the index after the closing tag
	 */
	private static int dollarQuoted(String sql, int start, List<String> words) {
		int contentStart = dollarTagEnd(sql, start);
		String tag = sql.substring(start, contentStart);
		int close = sql.indexOf(tag, contentStart);
		int contentEnd = (close < 0) ? sql.length() : close;
		words.addAll(words(sql.substring(contentStart, contentEnd)));
		return (close < 0) ? sql.length() : close + tag.length();
	}

	/**
	 * The index after a dollar-quote tag ({@code $}, an optional identifier, {@code $})
	 * at {@code start}, or -1 where there is none (a {@code $1} parameter).
	 */
	private static int dollarTagEnd(String sql, int start) {
		int i = start + 1;
		if (i < sql.length() && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
			while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
				i++;
			}
		}
		return (i < sql.length() && sql.charAt(i) == '$') ? i + 1 : -1;
	}

	/**
	 * Whether a PostgreSQL escape string ({@code E'...'}, where a backslash escapes a
	 * quote) starts at {@code i}.
	 */
	private static boolean isEscapeStringStart(String sql, int i) {
		char c = sql.charAt(i);
		return (c == 'e' || c == 'E') && i + 1 < sql.length() && sql.charAt(i + 1) == '\''
				&& (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_');
	}

	private static int skipLiteral(String sql, int from, boolean backslashEscapes) {
		int i = from;
		while (i < sql.length()) {
			if (backslashEscapes && sql.charAt(i) == '\\') {
				i += 2;
				continue;
			}
			if (sql.charAt(i) == '\'') {
				if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return i;
	}

}
