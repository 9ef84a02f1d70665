package dev.corpusforge.filters.quality;

import java.io.Serializable;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * C4's rules (Raffel et al. 2020, §2.2; DataTrove's {@code C4QualityFilter}, whose reason names
 * these are). Line by line: a line with a word over {@code maxWordLength} characters, without
 * terminal punctuation (or ending in an ellipsis), with fewer than {@code minWordsPerLine} words,
 * mentioning javascript, or a cookie or terms-of-use notice is removed (Wikipedia-style citations
 * are cut first). A document with "lorem ipsum" ({@code lorem_ipsum}) or a curly bracket ({@code
 * curly_bracket}) in a kept line, or with fewer than {@code minSentences} sentences left ({@code
 * too_few_sentences}, sentences by the JDK's English {@link BreakIterator}), is rejected; the
 * others go on as their kept lines.
 */
public final class C4Quality implements Serializable {
  private static final Pattern CITATION = Pattern.compile("\\[\\d*]|\\[edit]|\\[citation needed]");
  private static final List<String> POLICY =
      List.of(
          "terms of use",
          "privacy policy",
          "cookie policy",
          "uses cookies",
          "use of cookies",
          "use cookies");

  /** The settings, C4's; a number ≤ 0 turns its rule off. */
  public record Settings(
      int minSentences,
      int minWordsPerLine,
      int maxWordLength,
      boolean terminalPunctuation,
      boolean loremIpsum,
      boolean javascript,
      boolean curlyBracket,
      boolean policy)
      implements Serializable {
    public static final Settings DEFAULTS = new Settings(5, 3, 1000, true, true, true, true, true);
  }

  /** A document's outcome: its kept lines, or the reason it is rejected. */
  public record Result(String text, String reason, String detail, int linesRemoved) {
    public boolean kept() {
      return reason == null;
    }
  }

  private final Settings s;

  public C4Quality(Settings settings) {
    this.s = settings;
  }

  public Result check(String text) {
    List<String> kept = new ArrayList<>();
    int removed = 0;
    int sentences = 0;
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      String[] words = line.isEmpty() ? new String[0] : line.split("\\s+");
      if (s.maxWordLength() > 0 && longWord(words)) {
        removed++;
        continue;
      }
      line = CITATION.matcher(line).replaceAll("");
      if (s.terminalPunctuation() && (!terminal(line) || line.endsWith("..."))) {
        removed++;
        continue;
      }
      if (s.minWordsPerLine() > 0 && words.length < s.minWordsPerLine()) {
        removed++;
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (s.loremIpsum() && lower.contains("lorem ipsum")) {
        return new Result(null, "lorem_ipsum", "a line holds \"lorem ipsum\"", removed);
      }
      if (s.javascript() && lower.contains("javascript")) {
        removed++;
        continue;
      }
      if (s.curlyBracket() && line.contains("{")) {
        return new Result(null, "curly_bracket", "a kept line holds a curly bracket", removed);
      }
      if (s.policy() && POLICY.stream().anyMatch(lower::contains)) {
        removed++;
        continue;
      }
      sentences += sentences(line);
      kept.add(line);
    }
    if (s.minSentences() > 0 && sentences < s.minSentences()) {
      return new Result(
          null,
          "too_few_sentences",
          sentences + " sentences in kept lines < " + s.minSentences(),
          removed);
    }
    return new Result(String.join("\n", kept).strip(), null, null, removed);
  }

  private boolean longWord(String[] words) {
    for (String w : words) {
      if (w.length() > s.maxWordLength()) {
        return true;
      }
    }
    return false;
  }

  private static boolean terminal(String line) {
    return line.endsWith(".")
        || line.endsWith("?")
        || line.endsWith("!")
        || line.endsWith("\"")
        || line.endsWith("'");
  }

  private static int sentences(String line) {
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
    it.setText(line);
    int n = 0;
    for (int start = it.first(), end = it.next();
        end != BreakIterator.DONE;
        start = end, end = it.next()) {
      if (!line.substring(start, end).isBlank()) {
        n++;
      }
    }
    return n;
  }
}
