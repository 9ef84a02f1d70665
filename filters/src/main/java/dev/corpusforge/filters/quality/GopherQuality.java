package dev.corpusforge.filters.quality;

import dev.corpusforge.core.Verdict;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Gopher's quality rules (Rae et al. 2021, appendix A; DataTrove's {@code GopherQualityFilter},
 * whose reason names these are): word count, mean word length, hash and ellipsis to word ratios,
 * bullet and ellipsis lines, words with a letter, stop words. The first rule a document fails is
 * its reason; a threshold ≤ 0 turns its rule off.
 */
public final class GopherQuality implements Serializable {
  public static final Set<String> STOP_WORDS =
      Set.of("the", "be", "to", "of", "and", "that", "have", "with");

  /** The thresholds, DataTrove's defaults. */
  public record Settings(
      int minWords,
      int maxWords,
      double minMeanWordLength,
      double maxMeanWordLength,
      double maxSymbolWordRatio,
      double maxBulletLinesRatio,
      double maxEllipsisLinesRatio,
      double minAlphaWordsRatio,
      int minStopWords)
      implements Serializable {
    public static final Settings DEFAULTS = new Settings(50, 100_000, 3, 10, 0.1, 0.9, 0.3, 0.8, 2);
  }

  private final Settings s;

  public GopherQuality(Settings settings) {
    this.s = settings;
  }

  public Verdict check(String text) {
    List<String> tokens = Words.tokens(text);
    long words = tokens.stream().filter(t -> !Words.isPunctuation(t)).count();
    if (words == 0 || s.minWords() > 0 && words < s.minWords()) {
      return Verdict.drop("gopher_short_doc", words + " words < " + s.minWords());
    }
    if (s.maxWords() > 0 && words > s.maxWords()) {
      return Verdict.drop("gopher_long_doc", words + " words > " + s.maxWords());
    }
    double mean =
        tokens.stream()
            .filter(t -> !Words.isPunctuation(t))
            .mapToInt(String::length)
            .average()
            .orElse(0);
    if (s.minMeanWordLength() > 0 && mean < s.minMeanWordLength()) {
      return Verdict.drop(
          "gopher_below_avg_threshold",
          format("mean word length %.2f < %s", mean, s.minMeanWordLength()));
    }
    if (s.maxMeanWordLength() > 0 && mean > s.maxMeanWordLength()) {
      return Verdict.drop(
          "gopher_above_avg_threshold",
          format("mean word length %.2f > %s", mean, s.maxMeanWordLength()));
    }
    double hashes = (double) count(text, "#") / words;
    if (s.maxSymbolWordRatio() > 0 && hashes > s.maxSymbolWordRatio()) {
      return Verdict.drop(
          "gopher_too_many_hashes",
          format("%.3f '#' per word > %s", hashes, s.maxSymbolWordRatio()));
    }
    double ellipses = (double) (count(text, "...") + count(text, "…")) / words;
    if (s.maxSymbolWordRatio() > 0 && ellipses > s.maxSymbolWordRatio()) {
      return Verdict.drop(
          "gopher_too_many_ellipsis",
          format("%.3f ellipses per word > %s", ellipses, s.maxSymbolWordRatio()));
    }
    String[] lines = text.split("\\R", -1);
    double bullets = 0;
    double endEllipsis = 0;
    for (String line : lines) {
      bullets += line.stripLeading().startsWith("•") ? 1 : 0;
      String end = line.stripTrailing();
      endEllipsis += end.endsWith("...") || end.endsWith("…") ? 1 : 0;
    }
    if (s.maxBulletLinesRatio() > 0 && bullets / lines.length > s.maxBulletLinesRatio()) {
      return Verdict.drop(
          "gopher_too_many_bullets",
          format(
              "%.3f of lines start with a bullet > %s",
              bullets / lines.length, s.maxBulletLinesRatio()));
    }
    if (s.maxEllipsisLinesRatio() > 0 && endEllipsis / lines.length > s.maxEllipsisLinesRatio()) {
      return Verdict.drop(
          "gopher_too_many_end_ellipsis",
          format(
              "%.3f of lines end with an ellipsis > %s",
              endEllipsis / lines.length, s.maxEllipsisLinesRatio()));
    }
    double alpha = tokens.stream().filter(GopherQuality::hasLetter).count() / (double) words;
    if (s.minAlphaWordsRatio() > 0 && alpha < s.minAlphaWordsRatio()) {
      return Verdict.drop(
          "gopher_below_alpha_threshold",
          format("%.3f of words hold a letter < %s", alpha, s.minAlphaWordsRatio()));
    }
    long stop = tokens.stream().filter(STOP_WORDS::contains).count();
    if (s.minStopWords() > 0 && stop < s.minStopWords()) {
      return Verdict.drop("gopher_enough_stop_words", stop + " stop words < " + s.minStopWords());
    }
    return Verdict.keep();
  }

  private static boolean hasLetter(String token) {
    return token.codePoints().anyMatch(Character::isLetter);
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
