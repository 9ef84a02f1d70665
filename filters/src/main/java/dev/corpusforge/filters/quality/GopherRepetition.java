package dev.corpusforge.filters.quality;

import dev.corpusforge.core.Verdict;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gopher's repetition rules (Rae et al. 2021, table A1; DataTrove's {@code GopherRepetitionFilter},
 * whose reason names these are): duplicate paragraphs and lines, by count and by characters; the
 * characters of the most frequent 2-, 3- and 4-gram; the characters in duplicate 5- to 10-grams.
 * Fractions of characters are of the whole text. Blank lines are no lines here (DataTrove counts
 * them, so a text whose paragraphs are separated by blank lines reads as half duplicate lines). A
 * threshold ≤ 0 turns its rule off.
 */
public final class GopherRepetition implements Serializable {
  /**
   * The thresholds, the paper's. {@code topNGrams[i]} is for (i + 2)-grams, {@code dupNGrams[i]}
   * for (i + 5)-grams.
   */
  public record Settings(
      double dupLineFrac,
      double dupParaFrac,
      double dupLineCharFrac,
      double dupParaCharFrac,
      List<Double> topNGrams,
      List<Double> dupNGrams)
      implements Serializable {
    public static final Settings DEFAULTS =
        new Settings(
            0.3,
            0.3,
            0.2,
            0.2,
            List.of(0.2, 0.18, 0.16),
            List.of(0.15, 0.14, 0.13, 0.12, 0.11, 0.10));
  }

  private final Settings s;

  public GopherRepetition(Settings settings) {
    this.s = settings;
  }

  public Verdict check(String text) {
    if (text.isEmpty()) {
      return Verdict.keep();
    }
    double length = text.length();
    String[] paragraphs = text.strip().split("\\n{2,}");
    long[] para = duplicates(paragraphs);
    if (s.dupParaFrac() > 0 && para[0] / (double) paragraphs.length > s.dupParaFrac()) {
      return drop(
          "dup_para_frac",
          "of paragraphs are duplicates",
          para[0] / (double) paragraphs.length,
          s.dupParaFrac());
    }
    if (s.dupParaCharFrac() > 0 && para[1] / length > s.dupParaCharFrac()) {
      return drop(
          "dup_para_char_frac",
          "of characters in duplicate paragraphs",
          para[1] / length,
          s.dupParaCharFrac());
    }
    String[] lines =
        java.util.Arrays.stream(text.split("\\R")).filter(l -> !l.isBlank()).toArray(String[]::new);
    if (lines.length == 0) {
      return Verdict.keep();
    }
    long[] line = duplicates(lines);
    if (s.dupLineFrac() > 0 && line[0] / (double) lines.length > s.dupLineFrac()) {
      return drop(
          "dup_line_frac",
          "of lines are duplicates",
          line[0] / (double) lines.length,
          s.dupLineFrac());
    }
    if (s.dupLineCharFrac() > 0 && line[1] / length > s.dupLineCharFrac()) {
      return drop(
          "dup_line_char_frac",
          "of characters in duplicate lines",
          line[1] / length,
          s.dupLineCharFrac());
    }
    NGramIds grams = new NGramIds(Words.tokens(text));
    for (int i = 0; i < s.topNGrams().size(); i++) {
      int n = i + 2;
      double limit = s.topNGrams().get(i);
      if (limit <= 0 || grams.ids(n).length == 0) {
        continue;
      }
      long top = topChars(grams, n);
      if (top / length > limit) {
        return drop(
            "top_" + n + "_gram",
            "of characters in the most frequent " + n + "-gram",
            top / length,
            limit);
      }
    }
    for (int i = 0; i < s.dupNGrams().size(); i++) {
      int n = i + 5;
      double limit = s.dupNGrams().get(i);
      if (limit <= 0 || grams.ids(n).length == 0) {
        continue;
      }
      long repeated = repeatedChars(grams, n);
      if (repeated / length > limit) {
        return drop(
            "duplicated_" + n + "_n_grams",
            "of characters in duplicate " + n + "-grams",
            repeated / length,
            limit);
      }
    }
    return Verdict.keep();
  }

  private static Verdict drop(String reason, String what, double value, double limit) {
    return Verdict.drop(reason, GopherQuality.format("%.3f %s > %s", value, what, limit));
  }

  /** {duplicate elements, their characters}: every occurrence after an element's first. */
  private static long[] duplicates(String[] elements) {
    Set<String> seen = new HashSet<>();
    long count = 0;
    long chars = 0;
    for (String e : elements) {
      if (!seen.add(e)) {
        count++;
        chars += e.length();
      }
    }
    return new long[] {count, chars};
  }

  /** The characters of the most frequent n-gram times its count: the largest such product. */
  private static long topChars(NGramIds grams, int n) {
    int[] ids = grams.ids(n);
    int[] lengths = grams.lengths(n);
    int[] counts = new int[grams.distinct(n)];
    int[] lengthOf = new int[counts.length];
    for (int i = 0; i < ids.length; i++) {
      counts[ids[i]]++;
      lengthOf[ids[i]] = lengths[i];
    }
    long top = 0;
    for (int id = 0; id < counts.length; id++) {
      top = Math.max(top, (long) lengthOf[id] * counts[id]);
    }
    return top;
  }

  /**
   * Characters in n-grams seen before, walking the n-grams and jumping past a repeated one, as
   * DataTrove counts them (so overlapping repeats are not counted twice).
   */
  private static long repeatedChars(NGramIds grams, int n) {
    int[] ids = grams.ids(n);
    int[] lengths = grams.lengths(n);
    boolean[] seen = new boolean[grams.distinct(n)];
    long repeated = 0;
    int i = 0;
    while (i < ids.length) {
      if (seen[ids[i]]) {
        repeated += lengths[i];
        i += n;
      } else {
        seen[ids[i]] = true;
        i++;
      }
    }
    return repeated;
  }
}
